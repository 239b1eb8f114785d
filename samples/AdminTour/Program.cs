using AdminTour;

// Usage: dotnet run --project samples/AdminTour -- http://127.0.0.1:2379
// It changes the cluster while it runs (a learner, users, auth) and undoes every change; use a test cluster.
var endpoints = args.Length > 0 ? args[0] : "http://127.0.0.1:2379";
await Tour.RunAsync(endpoints, Console.Out);
