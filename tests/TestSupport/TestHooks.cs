using System.Runtime.CompilerServices;
using Bot.Core.Search;

namespace Bot.TestSupport;

/// <summary>Set once when a test assembly loads, before any test: test-only switches (never set in the bot).</summary>
internal static class TestHooks
{
    [ModuleInitializer]
    internal static void Init()
    {
        // Every engine a test builds shares one built-in synonym map instead of parsing the glossary and lexicon again.
        SynonymLoader.ShareBuiltIn = true;
    }
}
