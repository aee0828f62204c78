namespace Bot.Discord.Tests.Support;

/// <summary>A Random whose NextDouble is fixed, to make jitter deterministic.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public double Value { get; set; } = value;

    public override double NextDouble() => Value;

    protected override double Sample() => Value;
}
