using EtcdConfiguration.Tool.Cli;

return await EtcdConfigCli.RunAsync(args, ToolContext.ForConsole());
