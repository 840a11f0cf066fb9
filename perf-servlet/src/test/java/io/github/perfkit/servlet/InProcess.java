package io.github.perfkit.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Minimal in-process request/response doubles (dynamic proxies) to drive the filter without a container. */
final class InProcess {

    private InProcess() {}

    static HttpServletRequest request(String method, String uri, Map<String, String> headers) {
        Map<String, Object> attributes = new HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(InProcess.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getContextPath" -> "";
                    case "getHeader" -> headers.get((String) args[0]);
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "removeAttribute" -> attributes.remove((String) args[0]);
                    case "getDispatcherType" -> DispatcherType.REQUEST;
                    case "isAsyncStarted" -> false;
                    case "getContentLengthLong" -> -1L;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "request " + uri;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    static HttpServletResponse response(int status, Map<String, String> headers) {
        return (HttpServletResponse) Proxy.newProxyInstance(InProcess.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
                    case "getStatus" -> status;
                    case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "getHeader" -> headers.get((String) args[0]);
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    case "toString" -> "response";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
