using EtcdConfiguration.Benchmarks;

return args.Length > 0 && args[0] == RetainedMemoryProbe.Flag
    ? await RetainedMemoryProbe.RunChildAsync(args)
    : args.Length > 0 && args[0] == ScaleChild.Flag
        ? await ScaleChild.RunAsync(args)
        : await BenchmarkRun.RunAsync(args);
