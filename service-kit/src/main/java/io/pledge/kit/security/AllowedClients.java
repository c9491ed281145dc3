package io.pledge.kit.security;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call an endpoint with a client token (role {@code holder}), and the scope it needs: the token must name
 * this service in its {@code aud}, its subject must be one of {@link #value()} and its {@code scope} must hold
 * {@link #scope()}; otherwise a 403 {@code forbidden} problem ({@link ClientAccess}). A registered holder's own client
 * ({@code holder-<id>}, issued from the holder registry) is not named in {@link #value()}: its token's scope alone
 * decides, for scopes a holder may be granted ({@link Scopes#HOLDER_GRANTABLE}). Subject and staff tokens are
 * not affected: their roles decide, as {@code @RolesAllowed} says. Every endpoint whose {@code @RolesAllowed} admits
 * {@code holder} carries this annotation (service-kit's {@code ServiceFoundationContract} checks it in every service).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AllowedClients {

    /**
     * The client ids allowed; {@code "*"} for any client account-service granted the scope; {@code "${key}"} for the
     * list in that configuration key (e.g. {@code "${pledge.account.payment.holders}"}).
     */
    @Nonbinding
    String[] value();

    /** The scope the token must carry (a {@link Scopes} constant). */
    @Nonbinding
    String scope();
}
