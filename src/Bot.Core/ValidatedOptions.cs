using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Core;

/// <summary>
/// An options class that knows its own rules: each problem is one line naming the setting (never its value), such as
/// "Slack:DedupeWindow must be at least 10 minutes.". The one validation style of every section (Core, Discord, Slack,
/// Dashboard): the rules live in the class, <see cref="ValidatedOptions.AddValidatedOptions{T}"/> binds and checks them
/// at start-up.
/// </summary>
public interface IValidatedOptions
{
    /// <summary>Every problem of these values; empty when they are valid.</summary>
    IEnumerable<string> Problems();
}

public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it with its own
    /// <see cref="IValidatedOptions.Problems"/> on first use and at start-up (<c>ValidateOnStart</c>); a failure is an
    /// <see cref="OptionsValidationException"/> whose failures are those lines.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatedOptions
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, Validator<T>>());
        return services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>The <see cref="IValidateOptions{TOptions}"/> adapter for any <see cref="IValidatedOptions"/>.</summary>
    public static ValidateOptionsResult Check(IValidatedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private sealed class Validator<T> : IValidateOptions<T>
        where T : class, IValidatedOptions
    {
        public ValidateOptionsResult Validate(string? name, T options) => Check(options);
    }
}
