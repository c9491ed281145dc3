package io.pledge.kit.security;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Enforces {@link AllowedClients} on every endpoint that carries it: a refused client token is a 403 problem. */
@AllowedClients(value = {}, scope = "")
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
public class ClientAccessInterceptor {

    @Inject
    ClientAccess access;

    @Inject
    JsonWebToken token;

    @AroundInvoke
    Object check(InvocationContext ctx) throws Exception {
        AllowedClients rule = rule(ctx.getMethod());
        if (rule != null) {
            access.refusal(token, rule.value(), rule.scope()).ifPresent(why -> {
                throw new ProblemException(ProblemType.FORBIDDEN, why);
            });
        }
        return ctx.proceed();
    }

    /** The method's rule, or its class's. */
    static AllowedClients rule(Method method) {
        AllowedClients onMethod = method.getAnnotation(AllowedClients.class);
        return onMethod != null ? onMethod : method.getDeclaringClass().getAnnotation(AllowedClients.class);
    }
}
