package com.learncoin.gateway.support.hostile;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Dotted paths into JSON ({@code achievement.alignment.0.targetUrl}) and bodies sized to a limit. */
final class Paths {
  /** API.md §5: an achievement over 65,536 bytes as UTF-8 JSON is refused. */
  static final int MAX_ACHIEVEMENT_BYTES = 65_536;
  /** Each text field holds at most 10,000 characters, so the bytes come from 3-byte characters. */
  private static final int CHARS_PER_FIELD = 9_000;

  private Paths() {}

  static Object get(Object node, String path) {
    for (String part : path.split("\\.")) {
      node = node instanceof JsonObject o ? o.getValue(part)
          : node instanceof JsonArray a ? a.getValue(Integer.parseInt(part)) : null;
    }
    return node;
  }

  static void set(JsonObject root, String path, Object value) {
    Object parent = parent(root, path);
    String last = path.substring(path.lastIndexOf('.') + 1);
    if (parent instanceof JsonObject o) {
      o.put(last, value);
    } else if (parent instanceof JsonArray a) {
      a.set(Integer.parseInt(last), value);
    }
  }

  static void remove(JsonObject root, String path) {
    Object parent = parent(root, path);
    String last = path.substring(path.lastIndexOf('.') + 1);
    if (parent instanceof JsonObject o) {
      o.remove(last);
    } else if (parent instanceof JsonArray a) {
      a.remove(Integer.parseInt(last));
    }
  }

  static JsonArray repeat(JsonObject element, int times) {
    JsonArray array = new JsonArray();
    for (int i = 0; i < times; i++) {
      array.add(element.copy());
    }
    return array;
  }

  /** Grows name, description and narrative until the achievement's compact JSON is exactly {@code bytes}. */
  static void padAchievement(JsonObject achievement, int bytes) {
    String[] fields = {"description", "name", "narrative"};
    JsonObject criteria = achievement.getJsonObject("criteria");
    achievement.put("description", "d").put("name", "n");
    criteria.put("narrative", "c");
    int missing = bytes - achievement.toBuffer().length();
    for (String field : fields) {
      int chars = Math.min(CHARS_PER_FIELD, missing / 3);
      JsonObject holder = field.equals("narrative") ? criteria : achievement;
      holder.put(field, holder.getString(field) + "漢".repeat(chars));
      missing -= 3 * chars;
    }
    achievement.put("description", achievement.getString("description") + "a".repeat(missing));
    if (achievement.toBuffer().length() != bytes) {
      throw new IllegalStateException("achievement padded to " + achievement.toBuffer().length()
          + " bytes, not " + bytes);
    }
  }

  private static Object parent(JsonObject root, String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? root : get(root, path.substring(0, dot));
  }
}
