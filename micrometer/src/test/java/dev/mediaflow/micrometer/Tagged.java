package dev.mediaflow.micrometer;

import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps the context of every stopped observation, and lists every tag value and key value a test's
 * registries hold, to check none is high-cardinality.
 */
final class Tagged implements ObservationHandler<Observation.Context> {
  final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

  @Override
  public boolean supportsContext(Observation.Context context) {
    return true;
  }

  @Override
  public void onStop(Observation.Context context) {
    stopped.add(context);
  }

  /** Returns the stopped observations named {@code name}. */
  List<Observation.Context> named(String name) {
    return stopped.stream().filter(c -> c.getName().equals(name)).toList();
  }

  /** Returns {@code name key=value} for every meter tag and every observation key value. */
  List<String> values(MeterRegistry meters) {
    List<String> values = new ArrayList<>();
    for (Meter m : meters.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        values.add(m.getId().getName() + " " + t.getKey() + "=" + t.getValue());
      }
    }
    for (Observation.Context c : stopped) {
      for (KeyValue kv : c.getAllKeyValues()) {
        values.add(c.getName() + " " + kv.getKey() + "=" + kv.getValue());
      }
      values.add(c.getName() + " contextualName=" + c.getContextualName());
    }
    return values;
  }
}
