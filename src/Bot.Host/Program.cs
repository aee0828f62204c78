using Bot.Host.Cli;

return await BotCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
