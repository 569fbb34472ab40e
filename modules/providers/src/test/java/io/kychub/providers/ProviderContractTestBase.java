package io.kychub.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kychub.model.CanonicalUpdate;
import io.kychub.model.KycStatus;
import io.kychub.model.RawWebhook;
import io.kychub.providers.auth.WebhookAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The checklist every provider's adapter shares, run on that provider's fixtures
 * ({@code src/test/resources/fixtures/<provider>/}). A provider's adapter test extends this class,
 * says which fixture is which case, and inherits one test per convention: malformed bodies and
 * bodies without their subject are refused naming the provider, unknown and ignored event types
 * give no update, every documented example maps to its status, and every fixture file belongs
 * to exactly one case, so a fixture added without a case fails the build. The provider's own
 * rules (its reasons, its subject fields, its keys) stay as tests of its own class.
 */
public abstract class ProviderContractTestBase {

  /** A fixture and the canonical status of the one update it must give. */
  protected record Mapping(String fixture, KycStatus status) {}

  /** What the provider does with an event type (or status) the hub has never heard of. */
  protected enum UnknownEvents {
    /** No update (answered 2xx and kept in the inbox): a provider adding an event breaks nothing. */
    IGNORED,
    /** Refused as malformed (400): for a provider whose unknown events must never pass silently. */
    MALFORMED
  }

  /** The adapter under test, new for each test. */
  protected ProviderAdapter adapter;

  protected static Mapping maps(String fixture, KycStatus status) {
    return new Mapping(fixture, status);
  }

  /** A new instance of the adapter under test. */
  protected abstract ProviderAdapter newAdapter();

  /** The provider's folder under {@code src/test/resources/fixtures/}. */
  protected abstract String fixtureDirectory();

  /** Bodies that are not what the provider sends: not JSON, not an object, no event or status field. */
  protected abstract List<String> malformedFixtures();

  /** Recognised events that lack the id of their subject (customer or provider reference). */
  protected abstract List<String> missingSubjectFixtures();

  /** Event types or statuses the hub has never heard of. */
  protected abstract List<String> unknownEventFixtures();

  /** Event types the provider documents and the hub deliberately ignores; empty when it sends no other kind. */
  protected abstract List<String> ignoredEventFixtures();

  /** Every example of the provider's documents (or, where it documents only names, one per documented status or event). */
  protected abstract List<Mapping> documentedExamples();

  /** The other shapes the adapter reads (tolerated variants, unlisted reasons), with their status. */
  protected List<Mapping> otherMappings() {
    return List.of();
  }

  protected UnknownEvents unknownEvents() {
    return UnknownEvents.IGNORED;
  }

  /** Request headers the adapter may read while parsing; authentication has read the others already. */
  protected Set<String> headersParsingMayRead() {
    return Set.of();
  }

  @BeforeEach
  protected final void newAdapterUnderTest() {
    adapter = newAdapter();
  }

  /** The fixture as an authenticated webhook of this provider. */
  protected final RawWebhook webhook(String fixture, Map<String, String> headers) {
    return new RawWebhook("acme", adapter.name(), headers, Fixtures.bytes(fixtureDirectory(), fixture), "203.0.113.7",
        Fixtures.RECEIVED_AT);
  }

  protected final ParsedWebhook parse(String fixture) throws MalformedWebhookException {
    return adapter.parse(webhook(fixture, Map.of()));
  }

  // --- the checklist ---------------------------------------------------------------------------

  @Test
  public void theProviderDeclaresEveryCaseOfTheChecklist() {
    assertThat(malformedFixtures()).as("malformed fixtures (at least a body that is not JSON)").isNotEmpty();
    assertThat(missingSubjectFixtures()).as("fixtures without a subject").isNotEmpty();
    assertThat(unknownEventFixtures()).as("fixtures of an unknown event type or status").isNotEmpty();
    assertThat(documentedExamples()).as("documented examples").isNotEmpty();
  }

  @Test
  public void everyFixtureFileBelongsToExactlyOneCase() {
    List<String> declared = declaredFixtures();
    Set<String> twice = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    declared.forEach(f -> {
      if (!seen.add(f)) {
        twice.add(f);
      }
    });

    assertThat(twice).as("fixtures declared in more than one case").isEmpty();
    assertThat(fixtureFiles()).as("fixture files of " + fixtureDirectory() + "/ and the fixtures its cases declare")
        .containsExactlyInAnyOrderElementsOf(seen);
  }

  @Test
  public void everyMalformedBodyIsRefusedNamingTheProvider() {
    for (String fixture : malformedFixtures()) {
      assertThatThrownBy(() -> parse(fixture)).as(fixture)
          .isInstanceOf(MalformedWebhookException.class)
          .hasMessageStartingWith(adapter.name() + " ");
    }
  }

  @Test
  public void aWebhookWithoutItsSubjectIsRefusedNamingTheProvider() {
    for (String fixture : missingSubjectFixtures()) {
      assertThatThrownBy(() -> parse(fixture)).as(fixture)
          .isInstanceOf(MalformedWebhookException.class)
          .hasMessageStartingWith(adapter.name() + " ");
    }
  }

  @Test
  public void anUnknownEventTypeGivesNoUpdate() throws Exception {
    assumeTrue(unknownEvents() == UnknownEvents.IGNORED, adapter.name() + " refuses unknown event types");
    for (String fixture : unknownEventFixtures()) {
      assertThat(parse(fixture).updates()).as(fixture).isEmpty();
    }
  }

  @Test
  public void anUnknownEventTypeIsRefusedWhenTheProviderRefusesThem() {
    assumeTrue(unknownEvents() == UnknownEvents.MALFORMED, adapter.name() + " ignores unknown event types");
    for (String fixture : unknownEventFixtures()) {
      assertThatThrownBy(() -> parse(fixture)).as(fixture)
          .isInstanceOf(MalformedWebhookException.class)
          .hasMessageStartingWith(adapter.name() + " ");
    }
  }

  @Test
  public void anIgnoredEventTypeGivesNoUpdate() throws Exception {
    assumeFalse(ignoredEventFixtures().isEmpty(), adapter.name() + " sends no event type the hub ignores");
    for (String fixture : ignoredEventFixtures()) {
      assertThat(parse(fixture).updates()).as(fixture).isEmpty();
    }
  }

  @Test
  public void everyDocumentedExampleMapsToItsStatus() throws Exception {
    for (Mapping m : documentedExamples()) {
      assertMapsTo(m);
    }
  }

  @Test
  public void everyOtherShapeMapsToItsStatus() throws Exception {
    assumeFalse(otherMappings().isEmpty(), adapter.name() + " declares no other shapes");
    for (Mapping m : otherMappings()) {
      assertMapsTo(m);
    }
  }

  private void assertMapsTo(Mapping m) throws MalformedWebhookException {
    List<CanonicalUpdate> updates = parse(m.fixture()).updates();
    assertThat(updates).as(m.fixture()).hasSize(1);
    CanonicalUpdate u = updates.get(0);
    assertThat(u.status()).as(m.fixture()).isEqualTo(m.status());
    assertThat(u.subject()).as(m.fixture() + ": subject").isNotBlank();
    assertThat(u.subjectKind()).as(m.fixture() + ": subject kind").isNotNull();
    assertThat(u.decidedBy()).as(m.fixture() + ": decided by").isNotNull();
  }

  @Test
  public void everyWebhookThatParsesNamesItsEventType() throws Exception {
    for (String fixture : parseableFixtures()) {
      assertThat(parse(fixture).eventType()).as(fixture).isNotBlank();
    }
  }

  @Test
  public void parsingReadsNoHeaderButTheOnesTheProviderNeeds() {
    for (String fixture : declaredFixtures()) {
      ReadHeaders headers = new ReadHeaders(Map.of("authorization", "Basic dXNlcjpzZWNyZXQ=", "content-type",
          "application/json", "x-signature", "sha256=00", "webhook-id", "msg_1", "cookie", "session=1"));
      try {
        adapter.parse(webhook(fixture, headers));
      } catch (MalformedWebhookException expected) {
        // refused or not, what it read counts
      }
      assertThat(headers.read).as(fixture).isSubsetOf(headersParsingMayRead());
    }
  }

  @Test
  public void theNameIsLowercase() {
    assertThat(adapter.name()).matches("[a-z][a-z0-9-]*");
  }

  @Test
  public void theDefaultAuthenticationHasAKnownScheme() {
    assertThat(adapter.defaultAuth()).isNotNull();
    assertThat(adapter.defaultAuth().scheme()).isIn(WebhookAuthenticator.SCHEMES);
  }

  @Test
  public void theProviderIsInTheStandardRegistry() {
    assertThat(ProviderRegistry.standard().find(adapter.name())).get().hasSameClassAs(adapter);
  }

  // --- fixtures --------------------------------------------------------------------------------

  private List<String> declaredFixtures() {
    List<String> all = new ArrayList<>();
    all.addAll(malformedFixtures());
    all.addAll(missingSubjectFixtures());
    all.addAll(unknownEventFixtures());
    all.addAll(ignoredEventFixtures());
    documentedExamples().forEach(m -> all.add(m.fixture()));
    otherMappings().forEach(m -> all.add(m.fixture()));
    return all;
  }

  /** The fixtures that parse: every case but the refused ones. */
  private List<String> parseableFixtures() {
    List<String> all = new ArrayList<>();
    if (unknownEvents() == UnknownEvents.IGNORED) {
      all.addAll(unknownEventFixtures());
    }
    all.addAll(ignoredEventFixtures());
    documentedExamples().forEach(m -> all.add(m.fixture()));
    otherMappings().forEach(m -> all.add(m.fixture()));
    return all;
  }

  /** The names (without {@code .json}) of the files in the provider's fixture folder. */
  private List<String> fixtureFiles() {
    URL folder = Fixtures.class.getResource("/fixtures/" + fixtureDirectory());
    assertThat(folder).as("fixtures/" + fixtureDirectory() + " on the test class path").isNotNull();
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      return files.map(p -> p.getFileName().toString()).map(n -> n.endsWith(".json") ? n.substring(0, n.length() - 5) : n)
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Headers that remember which names were read; listing them all reads every one ({@code *}). */
  private static final class ReadHeaders extends AbstractMap<String, String> {
    final Set<String> read = Collections.synchronizedSet(new TreeSet<>());
    private final Map<String, String> values;

    ReadHeaders(Map<String, String> values) {
      this.values = new LinkedHashMap<>(values);
    }

    @Override
    public String get(Object name) {
      read.add(String.valueOf(name));
      return values.get(name);
    }

    @Override
    public boolean containsKey(Object name) {
      read.add(String.valueOf(name));
      return values.containsKey(name);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      read.add("*");
      return values.entrySet();
    }
  }
}
