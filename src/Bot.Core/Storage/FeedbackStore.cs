using System.Security.Cryptography;
using System.Text;

namespace Bot.Core.Storage;

/// <summary>What a click did.</summary>
public enum VoteOutcome
{
    /// <summary>The user's first vote on this answer.</summary>
    Recorded,

    /// <summary>The user had voted the other way; the vote now counts this way.</summary>
    Changed,

    /// <summary>The same vote again; nothing changed.</summary>
    Unchanged,
}

/// <summary>Votes on one answer.</summary>
public sealed record FeedbackTally(int Up, int Down);

/// <summary>
/// 👍 / 👎 feedback on answers (see <see cref="AnswerRecord"/> for the id scheme). One vote per user per answer; a second
/// click changes the vote. The user is kept only as SHA-256(salt ‖ platform ‖ user id), with a per-install salt kept
/// outside the database (<see cref="StorageOptions.FeedbackSalt"/>, or an owner-only key file <c>{Storage:Path}.salt</c>), so
/// the same person gets a different hash in another installation and a copy of the database alone cannot be used to
/// test guessed user ids. A salt found in the database (older versions) moves to the key file, keeping hashes stable.
/// With PostgreSQL the salt must be configured (<see cref="StorageOptions.FeedbackSalt"/>, the same on every replica).
/// <para>One vote per user per answer holds across replicas: the vote is read and written in one
/// <see cref="BotDatabase.Write{T}"/> transaction, which excludes every other writer of the database.</para>
/// </summary>
public sealed class FeedbackStore
{
    /// <summary>Why PostgreSQL needs <see cref="StorageOptions.FeedbackSalt"/>.</summary>
    public const string MissingSaltMessage =
        "Storage:FeedbackSalt must be set when Storage:Provider is postgres (the same secret on every replica, at least 16 characters), so a user's votes hash alike on every replica";

    private const string SaltKey = "feedback_salt";
    private readonly BotDatabase _db;
    private readonly TimeProvider _time;
    private readonly Lock _saltGate = new();
    private byte[]? _salt;

    public FeedbackStore(BotDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
    }

    /// <summary>Records a vote (synchronous SQLite write; acknowledge the click first). Throws <see cref="StorageException"/>.</summary>
    public VoteOutcome RecordVote(string answerId, string platform, string userId, bool up)
    {
        if (!AnswerRecord.IsValidId(answerId))
        {
            throw new ArgumentException("not an answer id minted by AnswerRecord.NewId", nameof(answerId));
        }

        ArgumentException.ThrowIfNullOrEmpty(platform);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var hash = HashUser(platform, userId);
        var vote = up ? 1 : -1;
        var now = Db.Time(_time.GetUtcNow());
        return _db.Write(c =>
        {
            var previous = c.Scalar("SELECT vote FROM feedback WHERE answer_id = @a AND user_hash = @u;", ("@a", answerId), ("@u", hash));
            c.Exec(
                """
                INSERT INTO feedback (answer_id, user_hash, platform, vote, at_utc) VALUES (@a, @u, @p, @v, @t)
                ON CONFLICT (answer_id, user_hash) DO UPDATE SET vote = excluded.vote, at_utc = excluded.at_utc;
                """,
                ("@a", answerId), ("@u", hash), ("@p", platform), ("@v", vote), ("@t", now));
            return previous switch
            {
                null => VoteOutcome.Recorded,
                { } v when Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) == vote => VoteOutcome.Unchanged,
                _ => VoteOutcome.Changed,
            };
        });
    }

    public FeedbackTally Tally(string answerId) => _db.Run(c =>
    {
        using var cmd = c.Command("SELECT COALESCE(SUM(CASE WHEN vote = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN vote = -1 THEN 1 ELSE 0 END), 0) FROM feedback WHERE answer_id = @a;", ("@a", answerId));
        using var r = cmd.ExecuteReader();
        r.Read();
        return new FeedbackTally(r.Int(0), r.Int(1));
    });

    /// <summary>The stored form of a user: hex SHA-256 over the install's salt, the platform and the user id.</summary>
    internal string HashUser(string platform, string userId)
    {
        var salt = Salt();
        var data = Encoding.UTF8.GetBytes($"{platform}\0{userId}");
        var buffer = new byte[salt.Length + data.Length];
        salt.CopyTo(buffer, 0);
        data.CopyTo(buffer, salt.Length);
        return Convert.ToHexStringLower(SHA256.HashData(buffer));
    }

    /// <summary>The key file holding the salt when none is configured: beside the database.</summary>
    public static string SaltFilePath(StorageOptions options) => options.Path + ".salt";

    private byte[] Salt()
    {
        if (_salt is { } cached)
        {
            return cached;
        }

        lock (_saltGate)
        {
            _salt ??= LoadSalt();
            return _salt;
        }
    }

    private byte[] LoadSalt()
    {
        if (!string.IsNullOrEmpty(_db.Options.FeedbackSalt))
        {
            return Encoding.UTF8.GetBytes(_db.Options.FeedbackSalt);
        }

        if (_db.IsPostgres)
        {
            // A key file is per machine: replicas would hash one user differently and count their votes twice.
            throw new StorageException(MissingSaltMessage);
        }

        var path = SaltFilePath(_db.Options);
        var legacy = _db.Run(c => c.Scalar("SELECT value FROM meta WHERE key = @k;", ("@k", SaltKey)) as string);
        if (!File.Exists(path))
        {
            var hex = legacy ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            // Written whole to a temporary file, then renamed into place (never over an existing one): a process starting at
            // the same time either wins the rename or reads the winner's complete salt, never a half-written file.
            var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            try
            {
                using (var writer = new StreamWriter(temp, Encoding.ASCII, options))
                {
                    writer.Write(hex);
                }

                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // another process created it first: use theirs
            }
            finally
            {
                File.Delete(temp);
            }
        }

        var salt = Convert.FromHexString(File.ReadAllText(path).Trim());
        if (legacy is not null)
        {
            _db.Write(c => c.Exec("DELETE FROM meta WHERE key = @k;", ("@k", SaltKey)));
        }

        return salt;
    }
}
