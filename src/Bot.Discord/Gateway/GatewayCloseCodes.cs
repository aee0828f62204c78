namespace Bot.Discord.Gateway;

/// <summary>The §1.5 reconnect decision table for close codes.</summary>
internal static class GatewayCloseCodes
{
    /// <summary>What to do after the server closed the socket with <paramref name="code"/> (null: no close frame).</summary>
    public static SocketOutcome Classify(int? code) => code switch
    {
        null => SocketOutcome.Resume,
        1000 or 1001 => SocketOutcome.NewSession,
        4000 or 4001 or 4002 or 4008 => SocketOutcome.Resume,
        4003 or 4005 or 4006 or 4007 or 4009 => SocketOutcome.NewSession,
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => SocketOutcome.Fatal,
        _ => SocketOutcome.Resume,
    };

    /// <summary>One line naming the fix for a fatal close code.</summary>
    public static string Fix(int code) => code switch
    {
        4004 => "authentication failed: check Discord:Token",
        4010 => "invalid shard: check Discord:ShardCount and Discord:ShardIds (every replica must use the same count)",
        4011 => "sharding required (more than 2500 guilds per shard): set Discord:ShardCount=auto or a higher number",
        4012 => "invalid API version: the adapter speaks v10; update the adapter",
        4013 => "invalid intents: report a bug (intents are computed from Discord:EnableMessageContent)",
        4014 => "disallowed intents: enable the Message Content intent in the Developer Portal or set Discord:EnableMessageContent=false",
        _ => "unexpected close code",
    };
}
