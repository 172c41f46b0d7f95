package dev.mediaflow.op;

/** Where a watermark is anchored; offsets move it away from that edge or corner. */
public enum Gravity implements Token {
  NORTH_WEST("northWest"),
  NORTH("north"),
  NORTH_EAST("northEast"),
  WEST("west"),
  CENTER("center"),
  EAST("east"),
  SOUTH_WEST("southWest"),
  SOUTH("south"),
  SOUTH_EAST("southEast");

  private final String token;

  Gravity(String token) {
    this.token = token;
  }

  /** Returns the name used in the JSON spec, such as {@code "northWest"}. */
  @Override
  public String token() {
    return token;
  }

  /** Returns the constant named {@code token} in the JSON spec. */
  public static Gravity fromToken(String token) {
    return Token.parse(Gravity.class, "gravity", token);
  }
}
