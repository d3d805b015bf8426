package com.learncoin.gateway.http;

/** Keys of the per-request data that the handlers of the chain leave for each other. */
public final class Ctx {
  public static final String REQUEST_ID = "learncoin.requestId";
  public static final String STARTED_NANOS = "learncoin.startedNanos";
  public static final String CLIENT_IP = "learncoin.clientIp";
  public static final String API_KEY = "learncoin.apiKey";
  public static final String ERROR_CODE = "learncoin.errorCode";
  public static final String RESPONSE_BODY = "learncoin.responseBody";
  /** An idempotency.Mention: the answer shows a credential's personal data. */
  public static final String ANSWER_MENTIONS = "learncoin.answerMentions";

  private Ctx() {}
}
