package dev.mediaflow.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mediaflow.MediaValidationException;
import dev.mediaflow.op.ImageResize;
import dev.mediaflow.pipeline.MediaObject;
import dev.mediaflow.pipeline.Pipeline;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadGrantRequestTest {
  private static final MediaObject AVATAR = MediaObject.of("media", "incoming/avatar.jpg");

  @Test
  void defaults_areFifteenMinutes_noOverwrite_noLimits() {
    UploadGrantRequest r = UploadGrantRequest.builder().key(AVATAR).build();
    assertThat(r.expiry()).isEqualTo(Duration.ofMinutes(15));
    assertThat(r.overwrite()).isFalse();
    assertThat(r.limitsSize()).isFalse();
    assertThat(r.contentTypes()).isEmpty();
    assertThat(r.bucket()).isEqualTo("media");
  }

  @Test
  void aKeyOrAPrefix_isRequired() {
    assertThatThrownBy(() -> UploadGrantRequest.builder().build())
        .isInstanceOfSatisfying(
            MediaValidationException.class, e -> assertThat(e.field()).isEqualTo("key"));
    UploadGrantRequest r = UploadGrantRequest.builder().keyPrefix("media", "users/42/").build();
    assertThat(r.keyPrefix()).contains("users/42/");
    assertThat(r.key()).isEmpty();
  }

  @Test
  void badLimits_areRefused_namingTheField() {
    assertThatThrownBy(() -> UploadGrantRequest.builder().size(10, 5))
        .isInstanceOf(MediaValidationException.class);
    assertThatThrownBy(() -> UploadGrantRequest.builder().contentTypes("image/jpeg\r\nx"))
        .isInstanceOfSatisfying(
            MediaValidationException.class,
            e -> assertThat(e.field()).isEqualTo("contentTypes[0]"));
    assertThat(
            UploadGrantRequest.builder()
                .key(AVATAR)
                .contentTypes("image/*")
                .size(1, 5)
                .build()
                .limitsSize())
        .isTrue();
  }

  @Test
  void aPipeline_mustStartFromTheGrantedKey() {
    Pipeline other =
        Pipeline.from("media", "elsewhere.jpg")
            .then(ImageResize.builder().width(10).build())
            .saveAs("media", "out.jpg")
            .build();
    assertThatThrownBy(() -> UploadGrantRequest.builder().key(AVATAR).process(other).build())
        .isInstanceOfSatisfying(
            MediaValidationException.class, e -> assertThat(e.field()).isEqualTo("process.source"));
  }

  @Test
  void grant_toJson_givesAFrontEndEverythingToUpload_andToStringHidesTheSignature() {
    UploadGrant g =
        new UploadGrant(
            URI.create("https://media.example.com/"),
            "POST",
            Map.of("key", "incoming/avatar.jpg", "signature", "SIG-VALUE"),
            Map.of(),
            "file",
            Instant.parse("2026-11-30T05:00:00Z"),
            1,
            5,
            List.of("image/jpeg"));
    JsonObject json = JsonParser.parseString(g.toJson()).getAsJsonObject();
    assertThat(json.get("url").getAsString()).isEqualTo("https://media.example.com/");
    assertThat(json.get("method").getAsString()).isEqualTo("POST");
    assertThat(json.getAsJsonObject("fields").get("signature").getAsString())
        .isEqualTo("SIG-VALUE");
    assertThat(json.get("fileField").getAsString()).isEqualTo("file");
    assertThat(json.get("expiresAt").getAsString()).isEqualTo("2026-11-30T05:00:00Z");
    assertThat(json.get("maxSize").getAsLong()).isEqualTo(5);
    assertThat(g.toString()).doesNotContain("SIG-VALUE");
  }

  @Test
  void method_isAFormPostByDefault_andPutWhenAsked() {
    UploadGrantRequest post =
        UploadGrantRequest.builder().key(MediaObject.of("media", "a.jpg")).build();
    UploadGrantRequest put =
        UploadGrantRequest.builder()
            .key(MediaObject.of("media", "a.jpg"))
            .method(UploadGrantRequest.Method.PUT)
            .build();
    assertThat(post.method()).isEqualTo(UploadGrantRequest.Method.POST);
    assertThat(put.method()).isEqualTo(UploadGrantRequest.Method.PUT);
    assertThat(put).isNotEqualTo(post);
    assertThat(put.toString()).startsWith("UploadGrantRequest{PUT ");
    assertThatThrownBy(() -> UploadGrantRequest.builder().method(null))
        .isInstanceOf(MediaValidationException.class);
  }
}
