package com.learncoin.gateway.http;

/** The one failure type handlers raise; the failure handler renders it as the error envelope. */
public final class ApiException extends RuntimeException {
  private final ApiError error;

  public ApiException(ApiError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
