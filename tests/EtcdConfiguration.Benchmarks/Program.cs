using EtcdConfiguration.Benchmarks;

return args.Length > 0 && args[0] == RetainedMemoryProbe.Flag
    ? await RetainedMemoryProbe.RunChildAsync(args)
    : await BenchmarkRun.RunAsync(args);
