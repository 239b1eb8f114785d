namespace EtcdConfiguration.Tests.Support;

/// <summary>Timeouts the tests give the code under test, as opposed to the bounds of their own waits.</summary>
internal static class TestTimeouts
{
    /// <summary>
    /// The startup timeout (and the client's dial timeout) wherever etcd is up and must answer: a first connection
    /// includes JIT compilation, TLS or password hashing, on a CI machine loaded by two test projects. Only a test
    /// that fails waits it out. Loads that are meant to fail keep their own short timeouts.
    /// </summary>
    public static readonly TimeSpan EtcdAnswers = TimeSpan.FromSeconds(30);
}
