package com.learncoin.gateway.config;

/** Invalid configuration: the message is the one line printed before the process stops. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
