/**
 * The provider TCK: abstract JUnit 5 suites every provider extends in its own tests ({@link
 * dev.mediaflow.tck.MediaProviderContractTest}, {@link dev.mediaflow.tck.WireContractTest}, {@link
 * dev.mediaflow.tck.UploadContractTest}, {@link dev.mediaflow.tck.RoundTripContractTest}), the
 * neutral fixtures they take ({@link dev.mediaflow.tck.FakeService}, {@link
 * dev.mediaflow.tck.WireFixture}, {@link dev.mediaflow.tck.UploadFixture}) and a reference provider
 * ({@link dev.mediaflow.tck.InMemoryProvider}). The suites never branch on a provider: vendor facts
 * come from the fixture, and a test is skipped only on a capability the fixture declares.
 */
package dev.mediaflow.tck;
