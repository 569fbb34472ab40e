package io.kychub.simulator;

/**
 * How a simulator listens and which API credentials it accepts.
 *
 * @param port 0 for any free port
 * @param apiKey the API key Vivamo, Ripio and P100 expect ({@code Bearer} or {@code x-api-key})
 * @param clientId Ondato's OAuth2 client id
 * @param clientSecret Ondato's OAuth2 client secret
 * @param tokenLifetimeSeconds the {@code expires_in} of the access tokens Ondato hands out
 */
public record SimulatorConfig(
    String host, int port, String apiKey, String clientId, String clientSecret, long tokenLifetimeSeconds) {

  public static SimulatorConfig defaults() {
    return new SimulatorConfig("127.0.0.1", 0, "sim-api-key", "sim-client", "sim-client-secret", 3600);
  }

  public SimulatorConfig withHost(String host) {
    return new SimulatorConfig(host, port, apiKey, clientId, clientSecret, tokenLifetimeSeconds);
  }

  public SimulatorConfig withPort(int port) {
    return new SimulatorConfig(host, port, apiKey, clientId, clientSecret, tokenLifetimeSeconds);
  }

  public SimulatorConfig withApiKey(String apiKey) {
    return new SimulatorConfig(host, port, apiKey, clientId, clientSecret, tokenLifetimeSeconds);
  }

  public SimulatorConfig withTokenLifetimeSeconds(long seconds) {
    return new SimulatorConfig(host, port, apiKey, clientId, clientSecret, seconds);
  }

  @Override
  public String toString() {
    return "SimulatorConfig[" + host + ":" + port + "]";
  }
}
