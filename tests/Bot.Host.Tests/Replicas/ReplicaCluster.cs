using System.Globalization;
using Bot.Discord.Tests.Fakes;
using Bot.Host.Tests.Cli;
using Bot.Slack.Tests.Fakes;
using Bot.TestSupport;
using Npgsql;

namespace Bot.Host.Tests.Replicas;

/// <summary>
/// What the replica acceptance runs against: a fresh schema in the throwaway PostgreSQL, the fake Discord recommending
/// 2 shards (max_concurrency 2), the fake Slack, and real <c>bot run</c> processes (the built bot.dll) sharing that schema with
/// <c>Discord:ShardIds=auto</c>, each with its own Lucene index built from the same seeds, a digest (minutely, or the cron
/// given) to one Discord and one Slack channel. The Slack sockets of a replica open 1 s apart (the default stagger is 10 s).
/// </summary>
internal sealed class ReplicaCluster : IAsyncDisposable
{
    public const string DiscordDigestChannel = "1200000000000000777";
    public const string SlackDigestChannel = "CDIGEST";
    public const int SlackConnectionsPerReplica = 2;
    public const string DigestSchedule = "replicas";

    private readonly TempDir _tmp = RepoPaths.NewTempDir("bot-replicas");
    private readonly List<BotProcess> _replicas = [];
    private readonly Dictionary<int, HashSet<int>> _slackSockets = [];
    private readonly TimeSpan _leaseTtl;
    private readonly TimeSpan _renewInterval;
    private readonly string _digestCron;

    private ReplicaCluster(string connectionString, FakeDiscordServer discord, FakeSlack slack, TimeSpan leaseTtl, TimeSpan renewInterval, string digestCron)
    {
        _renewInterval = renewInterval;
        _digestCron = digestCron;
        ConnectionString = connectionString;
        Discord = discord;
        Slack = slack;
        _leaseTtl = leaseTtl;
    }

    public string ConnectionString { get; }

    public FakeDiscordServer Discord { get; }

    public FakeSlack Slack { get; }

    public IReadOnlyList<BotProcess> Replicas => _replicas;

    /// <summary>The fake Slack socket ids a replica opened when it joined.</summary>
    public IReadOnlySet<int> SlackSocketsOf(BotProcess replica) => _slackSockets[replica.Id];

    /// <param name="renewInterval">how often replicas renew leases and rebalance shards (default a third of the TTL).</param>
    /// <param name="digestCron">the digest schedule's cron (5 fields, or 6 with seconds first); default every minute.</param>
    public static async Task<ReplicaCluster> StartAsync(TimeSpan leaseTtl, TimeSpan? renewInterval = null, string digestCron = "* * * * *")
    {
        var pg = PostgresServer.Instance.NewSchema("replicas");
        var discord = await FakeDiscordServer.StartAsync();
        discord.Sharding.RecommendedShards = 2;
        discord.Sharding.MaxConcurrency = 2; // each shard its own IDENTIFY bucket (as for larger bots): no 5 s between them

        var slack = await FakeSlack.StartAsync(TimeProvider.System);
        return new ReplicaCluster(pg, discord, slack, leaseTtl, renewInterval ?? leaseTtl / 3, digestCron);
    }

    /// <summary>
    /// Starts one more replica and waits until it is part of the cluster: its Slack sockets connected and the Discord shards
    /// split (one replica: both shards; two: one each, leased to distinct processes).
    /// </summary>
    public async Task<BotProcess> AddReplicaAsync(TimeSpan timeout) => (await AddReplicasAsync(1, timeout))[0];

    /// <summary>
    /// Starts <paramref name="count"/> more replicas at once (each process's start-up overlaps the others') and waits until
    /// all are part of the cluster: each one's Slack sockets connected (told apart by its own app token) and the Discord
    /// shards split (one replica: both shards; two: one each, leased to distinct processes).
    /// </summary>
    public async Task<IReadOnlyList<BotProcess>> AddReplicasAsync(int count, TimeSpan timeout)
    {
        var added = new List<(BotProcess Bot, string AppToken)>();
        for (var i = 0; i < count; i++)
        {
            var n = _replicas.Count;
            var bot = BotProcess.Start(_tmp.Path, Arguments(n));
            _replicas.Add(bot);
            added.Add((bot, SlackAppToken(n)));
        }

        IReadOnlyList<FakeSlackSocket> SocketsOf(string appToken) => Slack.Sockets
            .Where(s => Slack.AuthorizationOfTicket(s.Ticket) is { } auth && auth.EndsWith(" " + appToken, StringComparison.Ordinal)).ToList();

        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var owners = ShardOwners();
            var alive = _replicas.Where(r => !r.HasExited).Select(r => r.Id).ToHashSet();
            var shardsSplit = owners.Count == 2 && owners.Values.All(alive.Contains) && owners.Values.Distinct().Count() == Math.Min(2, alive.Count);
            var discordReady = Enumerable.Range(0, 2).All(s => Discord.Connections.Any(c => c.ShardId == s && c.ShardCount == 2 && c.Session is not null && c.IsOpen));
            var slackReady = added.All(r => SocketsOf(r.AppToken).Count(s => s.HelloSent && !s.Closed) >= SlackConnectionsPerReplica);
            if (shardsSplit && discordReady && slackReady)
            {
                foreach (var (bot, appToken) in added)
                {
                    _slackSockets[bot.Id] = SocketsOf(appToken).Select(s => s.Id).ToHashSet();
                }

                return added.Select(r => r.Bot).ToList();
            }

            if (added.Any(r => r.Bot.HasExited) || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"replicas {string.Join(", ", added.Select(r => r.Bot.Id))} not part of the cluster (shards {string.Join(",", owners)}, Slack ready {slackReady}, Discord ready {discordReady})\n"
                    + string.Join("\n", added.Select(r => r.Bot.Out + "\n" + r.Bot.Err)));
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Each replica's own Slack app token, so that the fake Slack can tell whose sockets are whose.</summary>
    private static string SlackAppToken(int n) => $"xapp-replica-token-{n}";

    /// <summary>Which process (pid, from the lease owner <c>{host}-{pid}-{suffix}</c>) holds each Discord shard's live lease.</summary>
    public Dictionary<int, int> ShardOwners()
    {
        var result = new Dictionary<int, int>();
        try
        {
            using var c = new NpgsqlConnection(ConnectionString);
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT name, owner FROM leases WHERE name LIKE 'discord-shard-%' AND expires_utc > @now;";
            cmd.Parameters.AddWithValue("now", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var shard = int.Parse(reader.GetString(0)["discord-shard-".Length..], CultureInfo.InvariantCulture);
                var parts = reader.GetString(1).Split('-');
                result[shard] = int.Parse(parts[^2], CultureInfo.InvariantCulture);
            }
        }
        catch (PostgresException)
        {
            // the schema is not migrated yet (the first replica is starting)
        }

        return result;
    }

    /// <summary>
    /// The digest runs the replicas recorded in the shared store (one row per tick and target, by its unique key), with the
    /// number of messages a posted run recorded (a long digest is split into several).
    /// </summary>
    public IReadOnlyList<(DateTimeOffset Tick, string Platform, string State, int Messages)> DigestRuns()
    {
        var result = new List<(DateTimeOffset, string, string, int)>();
        using var c = new NpgsqlConnection(ConnectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT tick_utc, platform, state, message_ids FROM digest_runs WHERE schedule = @s ORDER BY tick_utc;";
        cmd.Parameters.AddWithValue("s", DigestSchedule);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var tick = DateTimeOffset.Parse(reader.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
            var messages = reader.IsDBNull(3) ? 0 : System.Text.Json.JsonSerializer.Deserialize<string[]>(reader.GetString(3))?.Length ?? 0;
            result.Add((tick, reader.GetString(1), reader.GetString(2), messages));
        }

        return result;
    }

    private string[] Arguments(int n) =>
    [
        "run",
        "--set", $"Corpus:SeedsPath={RepoPaths.Seeds}",
        "--set", $"Index:Path={_tmp.Sub($"index-{n}")}",
        "--set", "Storage:Provider=postgres",
        "--set", $"Storage:ConnectionString={ConnectionString}",
        "--set", "Storage:FeedbackSalt=replica acceptance salt, sixteen+",
        "--set", "Host:ShutdownTimeout=00:00:05",
        "--set", "Discord:Token=discord-replica-token",
        "--set", $"Discord:ApiBaseUrl={Discord.ApiBaseUrl}",
        "--set", "Discord:ShardCount=2",
        "--set", "Discord:ShardIds=auto",
        "--set", $"Discord:ShardLeaseTtl={_leaseTtl:c}",
        "--set", $"Discord:ShardLeaseRenewInterval={_renewInterval:c}",
        "--set", "Slack:BotToken=xoxb-replica-token",
        "--set", $"Slack:AppToken={SlackAppToken(n)}",
        "--set", $"Slack:ApiBaseUrl={Slack.ApiBaseUrl}",
        "--set", $"Slack:NumberOfConnections={SlackConnectionsPerReplica}",
        "--set", "Slack:ConnectionStagger=00:00:01", // the second socket 1 s after the first (default 10 s)
        "--set", "Digest:PostWhenEmpty=true",
        "--set", $"Digest:Schedules:0:Name={DigestSchedule}",
        "--set", $"Digest:Schedules:0:Cron={_digestCron}",
        "--set", "Digest:Schedules:0:TimeZone=UTC",
        "--set", "Digest:Schedules:0:Targets:0:Platform=discord",
        "--set", $"Digest:Schedules:0:Targets:0:ChannelId={DiscordDigestChannel}",
        "--set", "Digest:Schedules:0:Targets:1:Platform=slack",
        "--set", $"Digest:Schedules:0:Targets:1:ChannelId={SlackDigestChannel}",
        "--set", "Logging:LogLevel:Default=Warning",
    ];

    public async ValueTask DisposeAsync()
    {
        foreach (var r in _replicas)
        {
            r.Dispose();
        }

        await Discord.DisposeAsync();
        await Slack.DisposeAsync();
        _tmp.Dispose();
    }
}
