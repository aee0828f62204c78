using Bot.Core.Storage;

namespace Bot.Core.Tests.Storage;

public abstract class FeedbackStoreTests : StorageTestBase
{
    [SkippableFact]
    public void RecordVote_OneVotePerUserPerAnswer_SecondClickChangesIt()
    {
        var store = new FeedbackStore(NewDatabase(), Time);
        var id = AnswerRecord.NewId();

        Assert.Equal(VoteOutcome.Recorded, store.RecordVote(id, "discord", "111", up: true));
        Assert.Equal(VoteOutcome.Unchanged, store.RecordVote(id, "discord", "111", up: true));
        Assert.Equal(VoteOutcome.Recorded, store.RecordVote(id, "slack", "U222", up: true));
        Assert.Equal(new FeedbackTally(2, 0), store.Tally(id));

        Assert.Equal(VoteOutcome.Changed, store.RecordVote(id, "discord", "111", up: false));
        Assert.Equal(new FeedbackTally(1, 1), store.Tally(id));
        Assert.Equal(new FeedbackTally(0, 0), store.Tally(AnswerRecord.NewId()));
    }

    [SkippableFact]
    public void RecordVote_KeepsOnlyASaltedHashOfTheUser()
    {
        var store = new FeedbackStore(NewDatabase(), Time);
        store.RecordVote(AnswerRecord.NewId(), "slack", "U0SECRETUSER", up: true);

        var dump = string.Join("|", ReadAll("SELECT * FROM feedback;"));
        Assert.DoesNotContain("U0SECRETUSER", dump, StringComparison.Ordinal);
        var hash = store.HashUser("slack", "U0SECRETUSER");
        Assert.Contains(hash, dump, StringComparison.Ordinal);
        Assert.NotEqual(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("slack\0U0SECRETUSER"u8)), hash);
        Assert.Equal(hash, new FeedbackStore(NewDatabase(), Time).HashUser("slack", "U0SECRETUSER")); // another replica: same hash
    }

    [SkippableFact]
    public async Task RecordVote_TwoReplicasClickAtOnce_OneVoteCounted()
    {
        var id = AnswerRecord.NewId();
        var replicas = new[] { new FeedbackStore(NewDatabase(), Time), new FeedbackStore(NewDatabase(), Time) };
        using var go = new ManualResetEventSlim();
        var clicks = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            go.Wait();
            return replicas[i % 2].RecordVote(id, "discord", "111", up: true);
        })).ToArray();
        go.Set();
        var outcomes = await Task.WhenAll(clicks);

        Assert.Equal(1, outcomes.Count(o => o == VoteOutcome.Recorded));
        Assert.Equal(7, outcomes.Count(o => o == VoteOutcome.Unchanged));
        Assert.Equal(new FeedbackTally(1, 0), replicas[0].Tally(id));
    }

    [SkippableFact]
    public void RecordVote_RejectsIdsNotMintedByAnswerRecord()
    {
        var store = new FeedbackStore(NewDatabase(), Time);
        Assert.Throws<ArgumentException>(() => store.RecordVote("'; DROP TABLE feedback; --", "slack", "U1", true));
    }

    [SkippableFact]
    public void AnswerRecord_CustomIdsRoundTripAndFitPlatformLimits()
    {
        var id = AnswerRecord.NewId();
        Assert.True(AnswerRecord.IsValidId(id));
        Assert.NotEqual(id, AnswerRecord.NewId());
        var up = AnswerRecord.FeedbackCustomId(id, up: true);
        var down = AnswerRecord.FeedbackCustomId(id, up: false);
        Assert.Equal($"fb:{id}:up", up);
        Assert.True(down.Length <= 100);

        Assert.True(AnswerRecord.TryParseFeedback(up, out var parsed, out var isUp));
        Assert.Equal((id, true), (parsed, isUp));
        Assert.True(AnswerRecord.TryParseFeedback(down, out _, out isUp));
        Assert.False(isUp);

        foreach (var bad in new[] { null, "", "fb", $"fb:{id}", $"fb:{id}:maybe", $"xx:{id}:up", "fb:SHORT:up", $"fb:{id.ToUpperInvariant()}X:up", $"fb:{id}:up:extra" })
        {
            Assert.False(AnswerRecord.TryParseFeedback(bad, out _, out _), bad);
        }
    }

    /// <summary>The suite on a SQLite file, plus the salt key file (SQLite only: PostgreSQL needs a configured salt).</summary>
    public sealed class OnSqlite : FeedbackStoreTests
    {

        [Fact]
        public void Salt_KeyFileKeepsHashesAcrossRestarts_AnotherInstallDiffers()
        {
            var hash = new FeedbackStore(NewDatabase(), Time).HashUser("slack", "U0SECRETUSER");
            Assert.Equal(hash, new FeedbackStore(NewDatabase(), Time).HashUser("slack", "U0SECRETUSER"));
            var other = new FeedbackStore(NewDatabase(Path.Combine(TempPath, "other.db")), Time);
            Assert.NotEqual(hash, other.HashUser("slack", "U0SECRETUSER"));
        }

        [Fact]
        public void Salt_KeptOutsideTheDatabase_InAnOwnerOnlyKeyFile()
        {
            var store = new FeedbackStore(NewDatabase(), Time);
            store.RecordVote(AnswerRecord.NewId(), "discord", "444", up: false);

            Assert.Empty(ReadAll("SELECT value FROM meta WHERE key = 'feedback_salt';"));
            var keyFile = DbPath + ".salt";
            Assert.True(File.Exists(keyFile));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }

            // With the key file gone, the same database gives a different hash: the database alone does not hold the secret.
            var hash = store.HashUser("discord", "444");
            File.Delete(keyFile);
            Assert.NotEqual(hash, new FeedbackStore(NewDatabase(), Time).HashUser("discord", "444"));
        }

        [Fact]
        public void Salt_FromConfiguration_NoKeyFile()
        {
            var db = new BotDatabase(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Path = DbPath, FeedbackSalt = "a configured secret salt" }),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<BotDatabase>.Instance);
            var hash = new FeedbackStore(db, Time).HashUser("slack", "U1");
            Assert.False(File.Exists(DbPath + ".salt"));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("a configured secret saltslack\0U1"u8)), hash);
        }

        [Fact]
        public void Salt_LegacyInDatabase_MovedToKeyFileHashesUnchanged()
        {
            var db = NewDatabase();
            db.Write(c => c.Exec("INSERT INTO meta (key, value) VALUES ('feedback_salt', '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');"));
            var hash = new FeedbackStore(db, Time).HashUser("slack", "U1");
            var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                [.. Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"), .. "slack\0U1"u8.ToArray()]));
            Assert.Equal(expected, hash);
            Assert.Empty(ReadAll("SELECT value FROM meta WHERE key = 'feedback_salt';"));
            Assert.Equal(expected, new FeedbackStore(NewDatabase(), Time).HashUser("slack", "U1"));
        }
    }

    /// <summary>The suite on PostgreSQL (skipped where it is not installed).</summary>
    public sealed class OnPostgres : FeedbackStoreTests
    {
        protected override bool IsPostgres => true;

        [SkippableFact]
        public void Salt_NotConfigured_OneLineErrorNamingTheSetting()
        {
            var options = Options();
            options.FeedbackSalt = null;
            using var db = new BotDatabase(Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<BotDatabase>.Instance);
            var ex = Assert.Throws<StorageException>(() => new FeedbackStore(db, Time).RecordVote(AnswerRecord.NewId(), "slack", "U1", true));
            Assert.Contains("Storage:FeedbackSalt", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', ex.Message);
        }
    }
}
