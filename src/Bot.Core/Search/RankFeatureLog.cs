using System.Text.Json.Nodes;
using Lucene.Net.Util;

namespace Bot.Core.Search;

/// <summary>
/// Measurement only (<c>--set Eval:Features=FILE</c> with <c>ask --batch</c>): appends each candidate passage's ranking
/// features, with the question and the passage, as one JSON line, for <c>tests/eval/fit_trees.py</c> (and
/// <c>fit_ranker.py</c>) to fit <see cref="PassageRanker"/> on; <c>pos</c> is the candidate's BM25 rank.
/// </summary>
internal sealed class RankFeatureLog(string path)
{
    private readonly Lock _gate = new();

    public void Write(string question, BytesRef value, in RankFeatures f, int rank)
    {
        var (_, doc, _, ordinal, _, text) = PassageValuesCodec.Decode(value);
        var line = new JsonObject
        {
            ["q"] = question,
            ["doc"] = doc,
            ["ord"] = ordinal,
            ["text"] = text,
            ["bm25"] = f.Bm25,
            ["cov"] = f.Coverage,
            ["cue"] = f.Cue,
            ["win1"] = f.Sentence,
            ["win2"] = f.TwoSentences,
            ["len"] = f.LogLength,
            ["nounCov"] = f.NounCoverage,
            ["predCov"] = f.PredicateCoverage,
            ["nMatched"] = f.MatchedShare,
            ["titleCov"] = f.TitleCoverage,
            ["lspans"] = f.LogSpans,
            ["ord0"] = f.Opening ? 1 : 0,
            ["who"] = f.Who,
            ["why"] = f.Why,
            ["pos"] = rank,
        }.ToJsonString();
        lock (_gate)
        {
            File.AppendAllText(path, line + "\n");
        }
    }
}
