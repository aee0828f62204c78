using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Bot.Core.Corpus;

/// <summary>
/// A YAML front matter block at the very top of an article file: a line <c>---</c>, YAML, and a closing <c>---</c> (or
/// <c>...</c>) line. Keys read: <c>title</c>, <c>url</c> (or <c>link</c>, <c>canonical</c>), <c>author</c> (a name or a
/// list), <c>published</c> (or <c>date</c>). Read with YamlDotNet; a block that is not a YAML mapping is not front matter
/// (the lines stay article text, as before). The block's lines become empty lines, so line numbers stay those of the file.
/// </summary>
public static class FrontMatter
{
    private const int MaxLines = 60;

    /// <summary>The metadata of <paramref name="text"/>'s front matter and the text with that block blanked out.</summary>
    public static (ArticleMetadata Metadata, string Body) Split(string text)
    {
        if (!text.StartsWith("---", StringComparison.Ordinal))
        {
            return (ArticleMetadata.None, text);
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines[0].TrimEnd() != "---")
        {
            return (ArticleMetadata.None, text);
        }

        var end = -1;
        for (var i = 1; i < Math.Min(lines.Length, MaxLines); i++)
        {
            if (lines[i].TrimEnd() is "---" or "...")
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            return (ArticleMetadata.None, text);
        }

        var yaml = string.Join('\n', lines[1..end]);
        var metadata = Parse(yaml);
        if (metadata is null)
        {
            return (ArticleMetadata.None, text);
        }

        for (var i = 0; i <= end; i++)
        {
            lines[i] = "";
        }

        return (metadata, string.Join('\n', lines));
    }

    /// <summary>The metadata of a YAML mapping, or null when <paramref name="yaml"/> is not one.</summary>
    public static ArticleMetadata? Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            return null;
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            return null;
        }

        string? Get(params string[] keys)
        {
            foreach (var (k, v) in map.Children)
            {
                if (k is YamlScalarNode key && keys.Contains(key.Value, StringComparer.OrdinalIgnoreCase))
                {
                    return v switch
                    {
                        YamlScalarNode s => s.Value,
                        YamlSequenceNode seq => string.Join(", ", seq.Children.OfType<YamlScalarNode>().Select(s => s.Value)),
                        YamlMappingNode m when m.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode ns => ns.Value,
                        _ => null,
                    };
                }
            }

            return null;
        }

        return new ArticleMetadata(
            ArticleMetadata.Clean(Get("title")),
            ArticleMetadata.CleanUrl(Get("url", "link", "canonical")),
            ArticleMetadata.Clean(Get("author", "authors")),
            ArticleMetadata.ParseDate(Get("published", "date")));
    }
}
