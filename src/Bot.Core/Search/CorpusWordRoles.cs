namespace Bot.Core.Search;

/// <summary>
/// Settles whether a question word weighs as content or like a predicate, once it is known whether the articles contain
/// it. <see cref="QueryPlanner"/> reads roles from the question's wording alone (<see cref="QueryGroup.Predicate"/>, the
/// topic, the unit of a count, the kind of answer); some of those readings only hold for a word the articles lack, and some
/// need the Korean dictionary, which the engine loads. This is the one place that combines them.
/// </summary>
/// <param name="dictionary">The Korean word list (<see cref="KoreanDictionary.Empty"/> when its lever is off).</param>
/// <param name="counted">Whether counting questions are read (lever <c>count</c>).</param>
internal sealed class CorpusWordRoles(KoreanDictionary dictionary, bool counted)
{
    /// <summary>
    /// Whether <paramref name="g"/> weighs like a predicate: no evidence either way when the articles lack it.
    /// <list type="bullet">
    /// <item>A predicate the planner read, unless it is a noun by position and absent ("삼성전자 주가"), or a loanword the
    /// articles contain that ends in 아/어 before a particle (<see cref="NounEndingInAOrEo"/>).</item>
    /// <item>The unit of a counting question ("몇 년생"), which <see cref="CountedUnits"/> checks.</item>
    /// <item>A noun that names the kind of answer ("어떤 형태") or only the kind of number ("나이 몇이야?"), when absent.</item>
    /// <item>An absent word (not a name) that the dictionary reads as a conjugated verb or adjective, a compound verb, or
    /// the stem of a longer predicate; in topic position only when quoted (<see cref="QuotedPredicate"/>) or bare, or when a
    /// verb stem takes 는 (<see cref="AdnominalOfVerb"/>).</item>
    /// </list>
    /// </summary>
    /// <param name="countedUnit">The unit the question counts (<see cref="QueryPlan.CountedUnit"/>), or null.</param>
    public bool WeighsAsPredicate(QueryGroup g, bool inCorpus, string? countedUnit) =>
        (g.Predicate && !(g.NounIfAbsent && !inCorpus) && !(inCorpus && NounEndingInAOrEo(g))) || (counted && g.CountUnit) || (g.AnswerKind && !inCorpus)
        || (counted && !inCorpus && countedUnit is not null && CountedUnits.IsAmountNoun(g.Surface))
        || (!inCorpus && !g.Name && (((!g.Topic || QuotedPredicate(g) || g.Whole == g.Surface) && dictionary.IsPredicateForm(g.Surface))
            || dictionary.IsCompoundVerb(g.Surface) || dictionary.ExtendsToPredicate(g.Surface, g.Whole) || AdnominalOfVerb(g)));

    /// <summary>
    /// A verb stem the dictionary knows (and not as a noun) before 는: the verb's adnominal ending ("꽁꽁 싸매는 거"), which
    /// looks like the topic particle.
    /// </summary>
    private bool AdnominalOfVerb(QueryGroup g) =>
        g.Particle == "는" && g.Surface.Length >= 2 && dictionary.IsPredicateStem(g.Surface) && !dictionary.IsNoun(g.Surface);

    /// <summary>
    /// A word the articles contain that looks like a verb only by its last syllable, 아 or 어 (the connective -아/-어), with a
    /// particle after it, and that the Korean dictionary does not read as a verb or adjective: a loanword or a name
    /// ("하이플라이어가", "엔비디아는"), content like any other noun. Bare ("엔비디아 앞으로") it stays as the planner read it:
    /// so read, it cost out-of-corpus declines (see the README).
    /// </summary>
    private bool NounEndingInAOrEo(QueryGroup g) =>
        dictionary.Count > 0 && g.Surface.Length >= 3 && g.Surface[^1] is '아' or '어' && g.Whole.Length > g.Surface.Length && WordPresence.IsHangulWord(g.Surface)
        && !dictionary.IsPredicateForm(g.Surface);

    /// <summary>
    /// A verb or adjective quoted before a noun ("좋다는 얘기", "망했다는 소리") or with the connective -다가 ("수다 떨다가"):
    /// the 는 of -다는 and the 가 of -다가 look like a topic or subject particle, but what stands before them is a
    /// predicate, not the question's topic (a noun ending in 다, "바다는", "바다가", is no predicate form).
    /// </summary>
    private static bool QuotedPredicate(QueryGroup g) =>
        g.Topic && g.Surface.Length >= 2 && g.Surface[^1] == '다' && (g.Whole == g.Surface + "는" || g.Whole == g.Surface + "가");
}
