using EtcdConfiguration.Benchmarks;

return await BenchmarkRun.RunAsync(args);
