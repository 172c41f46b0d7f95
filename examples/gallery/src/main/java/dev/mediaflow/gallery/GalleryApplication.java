package dev.mediaflow.gallery;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The gallery: a Spring MVC application whose page uploads videos and images straight to the
 * bucket, follows their processing live and shows what was made. {@code ./gallery} runs it.
 */
@SpringBootApplication
@EnableConfigurationProperties(GalleryProperties.class)
public class GalleryApplication {
  public static void main(String[] args) {
    SpringApplication.run(GalleryApplication.class, args);
  }
}
