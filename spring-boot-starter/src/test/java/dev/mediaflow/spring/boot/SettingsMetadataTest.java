package dev.mediaflow.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaConfig;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.Setting;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsMetadataTest {
  private static final Path COMMITTED =
      Path.of(
          "src", "main", "resources", "META-INF", "additional-spring-configuration-metadata.json");

  static Map<String, MediaProvider> providers() {
    return DeclaredSettings.providers(SettingsMetadataTest.class.getClassLoader());
  }

  @Test
  void committedMetadata_isTheOneTheDeclarationsMake() throws IOException {
    String expected = SettingsMetadata.json(providers());
    Path fresh = Path.of("target", "additional-spring-configuration-metadata.json");
    Files.createDirectories(fresh.getParent());
    Files.writeString(fresh, expected);
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as(
            COMMITTED
                + " is out of date with the declared settings: replace it with "
                + fresh.toAbsolutePath())
        .isEqualTo(expected);
  }

  @Test
  void jarMetadata_coversEveryDeclaredSetting_withTypeDescriptionAndDefault_secretsWithoutValue()
      throws IOException {
    Map<String, JsonObject> properties = jarProperties();
    assertThat(providers()).containsKeys("local", "oss", "qiniu", "cos");
    int checked = 0;
    for (Map.Entry<String, java.util.List<Setting>> ns : MediaConfig.settings().entrySet()) {
      for (Setting s : ns.getValue()) {
        check(properties, "mediaflow." + ns.getKey() + "." + SettingsMetadata.kebab(s.name()), s);
        checked++;
      }
    }
    for (Map.Entry<String, MediaProvider> p : providers().entrySet()) {
      for (Setting s : p.getValue().settings()) {
        check(
            properties,
            "mediaflow.instances." + p.getKey() + "." + SettingsMetadata.kebab(s.name()),
            s);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
    // the starter's own properties come from the configuration processor
    assertThat(properties)
        .containsKeys(
            "mediaflow.provider",
            "mediaflow.instances",
            "mediaflow.notifications.path",
            "mediaflow.health.bucket");
    assertThat(properties.get("mediaflow.notifications.path").get("defaultValue").getAsString())
        .isEqualTo("/mediaflow/notify");
  }

  @Test
  void metadata_examples() throws IOException {
    Map<String, JsonObject> p = jarProperties();
    JsonObject secret = p.get("mediaflow.instances.oss.access-key-secret");
    assertThat(secret.get("type").getAsString()).isEqualTo("java.lang.String");
    assertThat(secret.get("description").getAsString())
        .contains("AccessKey secret", "Required.", "Secret", "OSS_ACCESS_KEY_SECRET");
    JsonObject retries = p.get("mediaflow.http.retries");
    assertThat(retries.get("type").getAsString()).isEqualTo("java.lang.Integer");
    assertThat(retries.get("defaultValue").getAsInt()).isEqualTo(3);
    JsonObject timeout = p.get("mediaflow.http.connect-timeout");
    assertThat(timeout.get("type").getAsString()).isEqualTo("java.time.Duration");
    assertThat(timeout.get("defaultValue").getAsString()).isEqualTo("10s");
    assertThat(p.get("mediaflow.instances.oss.domain").get("type").getAsString())
        .isEqualTo("java.util.Map<java.lang.String,java.lang.String>");
    // a plain setting and a map setting of one name: one property, both described
    assertThat(p.get("mediaflow.instances.qiniu.domain").get("description").getAsString())
        .contains("{bucket} stands for the bucket", "domain.<bucket>", "of one bucket");
    assertThat(p.get("mediaflow.instances.oss.path-style").get("defaultValue").getAsBoolean())
        .isFalse();
  }

  private static void check(Map<String, JsonObject> properties, String name, Setting s) {
    assertThat(properties).as("metadata of " + name).containsKey(name);
    JsonObject p = properties.get(name);
    assertThat(p.get("type").getAsString()).isNotEmpty();
    assertThat(p.get("description").getAsString()).as(name).isNotBlank();
    if (s.isSecret()) {
      assertThat(p.has("defaultValue")).as(name + " is secret: no value").isFalse();
      assertThat(p.get("description").getAsString()).contains("Secret");
    } else if (s.defaultValue().isPresent()) {
      String shown =
          p.has("defaultValue")
              ? p.get("defaultValue").getAsString()
              : p.get("description").getAsString();
      assertThat(shown).as(name + " documents its default").contains(s.defaultValue().get());
    }
  }

  /** The jar's merged metadata: the processor's properties and the declared settings. */
  static Map<String, JsonObject> jarProperties() throws IOException {
    Map<String, JsonObject> all = new HashMap<>();
    try (InputStream in =
        SettingsMetadataTest.class
            .getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the jar's spring-configuration-metadata.json").isNotNull();
      JsonArray properties =
          JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .getAsJsonObject()
              .getAsJsonArray("properties");
      for (JsonElement e : properties) {
        all.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject());
      }
    }
    return all;
  }
}
