package dev.mediaflow.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mediaflow.MediaConfigException;
import dev.mediaflow.spi.MediaProvider;
import dev.mediaflow.spi.ProviderClient;
import dev.mediaflow.spi.ProviderContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderRegistryTest {
  static final class Named implements MediaProvider {
    private final String id;

    Named(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public java.util.List<dev.mediaflow.spi.Setting> settings() {
      return java.util.List.of();
    }

    @Override
    public ProviderClient create(ProviderContext context) {
      throw new UnsupportedOperationException();
    }
  }

  static final class Other extends Object implements MediaProvider {
    @Override
    public String id() {
      return "oss";
    }

    @Override
    public java.util.List<dev.mediaflow.spi.Setting> settings() {
      return java.util.List.of();
    }

    @Override
    public ProviderClient create(ProviderContext context) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void unknownId_listsTheIdsFound_andTheDependencyToAdd() {
    ProviderRegistry r = new ProviderRegistry(List.of(new Named("local"), new Named("oss")));
    assertThatThrownBy(() -> r.get("qiniu"))
        .isInstanceOf(MediaConfigException.class)
        .hasMessage(
            "No media provider with id 'qiniu' on the class path (found: local, oss). Add the dependency "
                + "dev.mediaflow:mediaflow-provider-qiniu, or set media.provider to one of the ids found.");
  }

  @Test
  void duplicateId_namesBothClasses() {
    assertThatThrownBy(() -> new ProviderRegistry(List.of(new Named("oss"), new Other())))
        .isInstanceOf(MediaConfigException.class)
        .hasMessageContaining("Two media providers claim the id 'oss'")
        .hasMessageContaining(Named.class.getName())
        .hasMessageContaining(Other.class.getName())
        .hasMessageContaining("Keep only one");
  }
}
