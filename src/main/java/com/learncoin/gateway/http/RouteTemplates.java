package com.learncoin.gateway.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The route template a request belongs to ({@code /v1/batches/:id}, never the raw path), for
 * metrics and logs: bounded label values. A response written by the endpoint's own route is
 * answered at once; one written by a shared handler (401, 429, a replay) or the failure handler
 * is matched against the endpoints' templates; anything else is {@value #UNMATCHED}.
 */
public final class RouteTemplates {
  public static final String UNMATCHED = "unmatched";

  private volatile List<Route> endpoints;

  /** Called once the router is complete. */
  public void use(List<Route> routes) {
    endpoints = routes.stream().filter(r -> isTemplate(r.getPath())).toList();
  }

  public String of(RoutingContext ctx) {
    Route current = ctx.currentRoute();
    if (current != null && isTemplate(current.getPath())) {
      return current.getPath();
    }
    List<Route> routes = endpoints;
    if (routes != null) {
      String path = ctx.request().path();
      HttpMethod method = ctx.request().method();
      for (Route route : routes) {
        // No methods means any method.
        if ((route.methods() == null || route.methods().contains(method))
            && matches(route.getPath(), path)) {
          return route.getPath();
        }
      }
    }
    return UNMATCHED;
  }

  private static boolean isTemplate(String path) {
    return path != null && path.indexOf('*') < 0;
  }

  /** {@code :name} segments match any non-empty segment; the rest must be equal. */
  static boolean matches(String template, String path) {
    if (path == null) {
      return false;
    }
    int t = 0;
    int p = 0;
    while (t < template.length() && p < path.length()) {
      if (template.charAt(t) == ':') {
        while (t < template.length() && template.charAt(t) != '/') {
          t++;
        }
        int start = p;
        while (p < path.length() && path.charAt(p) != '/') {
          p++;
        }
        if (p == start) {
          return false;
        }
      } else if (template.charAt(t++) != path.charAt(p++)) {
        return false;
      }
    }
    return t == template.length() && p == path.length();
  }
}
