namespace Bot.Core.Search;

/// <summary>The word lists of question analysis: question words and fillers dropped as stopwords (Korean and English),
/// and general Korean framing words kept but weighed like predicates.</summary>
internal static class QuestionWords
{
    private static readonly HashSet<string> KoreanStop = new(StringComparer.Ordinal)
    {
        "무엇", "무슨", "뭐", "뭘", "뭔", "뭐야", "뭐래", "뭐지", "뭐임", "뭔가", "뭔지", "어떤", "어떻", "어떻게", "어떠", "어때", "어땠",
        "언제", "얼마", "얼마나", "누구", "누가", "누군", "어디", "어느", "왜", "몇", "좀", "그거", "그게", "그건", "이거", "이게", "저거",
        "있어", "있나", "있는", "있었", "있을", "있다", "없어", "없나", "알려줘", "알려", "알려주세", "주세", "줘", "대해", "대한", "관련",
        "관해", "정말", "진짜", "그냥", "혹시", "요즘", "거야", "건가", "건데", "거", "것", "수", "등", "및", "또", "더", "했어", "하나",
        "해", "돼", "되나", "나요", "있잖", "있잖아", "그래서", "그러면", "그럼", "결국", "이제", "다들", "어떻", "했는", "했길래", "하는",
        "이런", "그런", "저런", "여기", "거기", "이번", "무엇인", "뭐라", "했대", "한대", "하대", "래", "대", "냐", "니", "나", "게",
        "은", "는", "이", "가", "을", "를", "의", "에", "도", "와", "과", "로", "만", "들", "요", "한테", "에게", "께", "아냐", "아니", "뭐래", "있대", "어디야", "할까", "될까", "인가", "누구야", "뭐야", "얼마야", "어때", "이야",
        // bound nouns after a verb ("돌리는 데", "도와준 꼴이라고", "한 셈이야"): grammar, not a subject
        "데", "데는", "데가", "데도", "데서", "데를", "꼴", "꼴이", "꼴이야", "셈", "셈이", "셈이야",
        // 거 ("the thing") with a copula or a question ending, casual or polite ("싸진다는 거임?", "그런 거죠")
        "거임", "거냐", "거죠", "거예요", "거에요", "거예", "거에", "건지", "건가요", "데임", "거라", "거란",
        // a question word with the casual copula 임 ("누구임?", "얼마임?")
        "누구임", "얼마임", "언제임", "어디임", "몇임",
        // "how much" spelled out ("얼마만큼", "얼만큼")
        "얼마만큼", "얼만큼", "얼만치",
        // 뭐/뭔 with a casual ending ("뭔데?", "뭐길래")
        "뭔데", "뭔데요", "뭐길래", "뭐였어", "뭐였지", "뭐더라", "뭐였더라",
        // a question word said twice asks for a list ("뭐뭐 있어?", "어디어디 꽉 쥐고")
        "뭐뭐", "어디어디", "누구누구", "언제언제", "몇몇", "머머", "머머임",
        // 뭐 as chat spells it ("장점 머임?", "머야")
        "머", "머임", "머야", "머지", "머냐", "머였지", "머였어", "머더라",
        // 어떻게 as chat spells it ("대응 어케함")
        "어케", "어캐", "어케함", "어케해", "어케됨",
        // "call" ("뭐라고 불러?", "뭐라 부르지"): asks for a name, what the answer is, not what it is about (불 alone is a dollar)
        "불러", "불러요", "부르지", "부르냐", "부르나", "부르나요", "부르는지", "부르는데", "부름",
    };

    /// <summary>
    /// General Korean words that frame a question rather than name its subject: time and frequency adverbs, degree
    /// adverbs, reflexive and vague pronouns, discourse words. They are kept as search words but weigh like predicates:
    /// one that no article contains is no reason to decline ("그날 엔비디아 주가" asks about the day the articles describe).
    /// </summary>
    private static readonly HashSet<string> KoreanFiller = new(StringComparer.Ordinal)
    {
        "그날", "그때", "이때", "당시", "당일", "요즘", "요새", "최근", "평소", "평상시", "원래", "본래", "예전", "예전엔", "옛날", "과거엔",
        "지금", "현재", "오늘", "어제", "내일", "올해", "작년", "내년", "이번엔", "앞으로", "나중", "나중엔", "이후", "이전", "그동안", "동안",
        "년간", "개월간", "주간", "일간", "무조건", "완전", "완전히", "엄청", "되게", "너무", "아주", "매우", "많이", "조금", "약간", "대충",
        "대략", "거의", "제일", "가장", "잔뜩", "왕창", "무척", "꽤", "꽤나", "겁나", "디게", "넘", "엄청나게", "몹시", "아예", "특히", "주로", "보통", "대부분", "아직", "이미", "벌써", "곧", "먼저", "다시", "또다시", "계속",
        "항상", "늘", "자주", "가끔", "결국엔", "궁극", "궁극적", "솔직히", "사실", "사실상", "실제로", "아마", "확실히", "분명", "역시", "도대체", "대체",
        "자신", "본인", "스스로", "혼자", "직접", "서로", "같이", "함께", "모두", "전부", "다들", "각자", "누군가", "무엇보다", "어쨌든",
        "어차피", "일단", "우선", "처음", "처음엔", "마지막", "마지막엔", "끝에", "뭘로", "걸로", "거기", "여기", "저기", "쪽",
        // how to answer, not what about ("구체적으로", "한마디로", "어느 정도"), and vague trailing filler ("어쩌고 하던데")
        "구체", "구체적", "자세", "간단", "한마디", "요약하면", "정도", "어쩌", "어쩌고", "저쩌고", "각각", "따로따로",
        // "by far" ("한참 딸리는")
        "한참",
        // the way a claim or a thing is put, asked for rather than named ("… 커진다는 논리는 뭐야?", "퍼지는 모습을 뭐에 빗댔어?",
        // "무슨 원리야?"): what kind of answer, not what about
        "논리", "원리", "모습",
        // a person's career asked for ("과거 직책은?", "경력 좀 알려줘", "전직장 어디"): what kind of answer, not what about
        "직책", "직함", "경력", "직장", "전직장", "전직",
        // "because of" ("딥시크 때문에 수혜야?") and "through" ("API를 통해"; not the verb 통하다, "it worked"): how the
        // question links its words, not one of them
        "때문", "때문에", "땜에", "땜시", "통해", "통해서",
        // the order of the articles or of a list ("첫번째 글", "두 번째 거"): where, not what about
        "첫번째", "두번째", "세번째", "네번째", "다섯번째", "번째", "첫째", "둘째", "셋째",
        // third-person pronouns, colloquial or not ("걔네 모델", "그들이 만든"): they point back at what the question names
        "걔", "걔네", "걔네들", "걔들", "얘", "얘네", "얘네들", "쟤", "쟤네", "쟤네들", "그들", "이들", "저들", "그분", "이분", "저분",
        "그분들", "이분들", "애들", "얘들", "그녀", "양반", "아저씨", "아줌마", "아재", "그놈", "이놈", "저놈", "그놈들", "이놈들", "저놈들", "그쪽", "이쪽", "저쪽",
        // "I mean …" ("그 구조 말야", "그거 말인데")
        "말야", "말이야", "말인데", "말이지", "말이에요", "말입니다",
    };

    /// <summary>
    /// Words by which a question points at the article itself rather than at its subject ("what does the post say", "the
    /// outlook section", "이 글에서", "기사 본문"): kept as search words, weighed like predicates.
    /// </summary>
    private static readonly HashSet<string> ArticleWords = WithStems(
    [
        "article", "articles", "post", "posts", "blog", "piece", "section", "sections", "paragraph", "passage", "text", "part",
        "글", "기사", "본문", "포스트", "포스팅", "섹션", "단락", "문단",
        // the article's act of saying ("선례로 언급된 앱", "the app mentioned as a precedent")
        "언급", "mention", "mentioned", "mentions",
    ]);

    /// <summary>English question words and fillers, with their stems (questions are stemmed like the index).</summary>
    private static readonly HashSet<string> EnglishStop = WithStems(
    [
        "the", "an", "of", "to", "in", "on", "for", "with", "by", "at", "from", "about", "as", "is", "are", "was", "were", "be",
        "been", "being", "do", "does", "did", "done", "doe", "have", "has", "had", "what", "which", "who", "whom", "whose", "when",
        "where", "why", "how", "much", "many", "that", "this", "these", "those", "it", "its", "they", "them", "their", "there",
        "and", "or", "but", "not", "no", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "than",
        "then", "so", "such", "other", "some", "any", "all", "more", "most", "very", "also", "just", "into", "over", "under",
        "again", "kind", "type", "think", "say", "said", "tell", "me", "you", "your", "we", "our", "us", "he", "she", "his",
        "her", "him", "i", "my", "if", "get", "got", "go", "going", "along", "according", "like", "way", "thing", "something",
        "please", "explain", "describe", "mean", "according", "s", "t", "anything", "know", "happen", "happened", "really",
        "apart", "aside", "besides", "beside", "except", "per", "actually", "exactly", "specifically", "basically", "still",
        // prepositions and conjunctions that frame the question ("despite a GPU shortage", "given the ban", "while …")
        "despite", "given", "although", "though", "whereas", "regarding", "concerning", "toward", "towards", "via", "amid",
        "upon", "whether", "unlike",
        // "what else"
        "else",
        // prefixes written with a hyphen, no words of their own ("co-founded", "re-released", "non-profit")
        "co", "re", "pre", "non",
    ]);

    private static HashSet<string> WithStems(string[] words)
    {
        var set = new HashSet<string>(words, StringComparer.Ordinal);
        foreach (var w in words)
        {
            set.Add(KoreanWords.EnglishStem(w));
        }

        return set;
    }

    /// <summary>A question word or filler that is dropped (Korean, or English with its stem).</summary>
    public static bool IsStop(string word) => KoreanStop.Contains(word) || EnglishStop.Contains(word) || WithParticles(word, KoreanStop) || IsJamoOnly(word);

    /// <summary>Chat shorthand written in bare consonants and vowels ("ㅋㅋ", "ㄹㅇ", "ㅠㅠ", "ㄷㄷ"): laughter, emphasis,
    /// feeling; never the subject of a question (the articles are written in whole syllables).</summary>
    private static bool IsJamoOnly(string word) => word.Length > 0 && word.All(c => c is >= '\u3131' and <= '\u318E');

    /// <summary>A general framing word (<see cref="KoreanFiller"/>): kept, weighed like a predicate, never "missing".</summary>
    public static bool IsFiller(string word) => KoreanFiller.Contains(word) || IsHiAdverb(word) || IsNativeCount(word) || ArticleWords.Contains(word) || WithParticles(word, KoreanFiller) || WithParticles(word, ArticleWords);

    private static readonly string[] NativeNumbers = ["한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열"];
    private static readonly HashSet<string> Counters = new(StringComparer.Ordinal) { "개", "명", "번", "가지", "곳", "군데", "장", "대", "차례", "분" };

    /// <summary>A small count in native Korean numerals with its counter written together ("두개", "세가지", "한번"): how
    /// many of what the question names ("최신모델 두개 이름"), which the articles write in figures or not at all.</summary>
    private static bool IsNativeCount(string word)
    {
        foreach (var number in NativeNumbers)
        {
            if (word.Length > number.Length && word.StartsWith(number, StringComparison.Ordinal) && Counters.Contains(word[number.Length..]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An adverb in -히 of three syllables or more ("정확히", "충분히", "완전히"): the manner of the asking, not its
    /// subject.</summary>
    private static bool IsHiAdverb(string word) => word.Length >= 3 && word[^1] == '히' && word.All(KoreanWords.IsCjk);

    /// <summary>Question words and fillers whose particles the analyser may leave on (it strips none from a one-syllable
    /// stem, and not every chain, nor the copula): "뭐가", "뭐를", "쪽에서", "글에서", "언제부터", "누구한테", "정도임" are these
    /// words.</summary>
    private static readonly string[] ParticleHeads = ["뭐", "쪽", "글", "언제", "어디", "누구", "무엇", "얼마", "정도"];

    /// <summary>The copula in casual and polite forms, which the analyser leaves on a noun ("정도임", "정도야").</summary>
    private static readonly HashSet<string> Copulas = new(StringComparer.Ordinal) { "임", "야", "이야", "예", "예요", "에요", "이에요", "인가", "인가요", "인지", "래", "이래" };

    /// <summary>Particles contracted in speech, which the analyser does not strip ("쪽에선", "글엔").</summary>
    private static readonly HashSet<string> Contracted = new(StringComparer.Ordinal) { "에선", "엔" };

    private static bool WithParticles(string word, HashSet<string> list)
    {
        foreach (var head in ParticleHeads)
        {
            if (word.Length > head.Length && word.StartsWith(head, StringComparison.Ordinal) && list.Contains(head)
                && (KoreanWords.IsSuffixChain(word.AsSpan(head.Length)) || Copulas.Contains(word[head.Length..]) || Contracted.Contains(word[head.Length..])))
            {
                return true;
            }
        }

        return false;
    }
}
