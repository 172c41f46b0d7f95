package dev.mediaflow.spring.boot;

import dev.mediaflow.MediaConfig;
import dev.mediaflow.internal.SharedHttp;
import dev.mediaflow.spi.ProviderConfig;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;

/**
 * Makes the application context's one OkHttp client for Mediaflow, with Mediaflow's defaults and
 * the {@code mediaflow.http.*} timeouts, and shuts its threads and connections down with the
 * context (the process-wide shared client is left alone, as other contexts may use it).
 */
final class MediaflowHttpClientFactory implements FactoryBean<OkHttpClient>, DisposableBean {
  private final OkHttpClient client;

  MediaflowHttpClientFactory(MediaConfig config) {
    ProviderConfig http = config.section("http");
    this.client =
        SharedHttp.configure(new OkHttpClient.Builder())
            .connectTimeout(http.getDuration("connectTimeout", SharedHttp.CONNECT_TIMEOUT))
            .readTimeout(http.getDuration("readTimeout", SharedHttp.READ_TIMEOUT))
            .callTimeout(http.getDuration("callTimeout", SharedHttp.CALL_TIMEOUT))
            .build();
  }

  @Override
  public OkHttpClient getObject() {
    return client;
  }

  @Override
  public Class<?> getObjectType() {
    return OkHttpClient.class;
  }

  @Override
  public void destroy() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
