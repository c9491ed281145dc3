package io.pledge.account.payment;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A subject's payment profile, as given and as read back. The instrument itself (bank card or account
 * number, payment password) never comes here: the payment processor keeps it and gives the client a
 * token, which is what is stored.
 *
 * @param method         ALIPAY, WECHAT_PAY or ONLINE_BANKING (policy 2.1.1(3))
 * @param providerToken  the processor's token or agreement reference for the instrument
 * @param accountHolder  the name on the account, optional
 * @param invoiceTitle   the invoice title (a person's or entity's name), optional
 * @param taxId          the taxpayer id for invoices, optional
 * @param billingAddress where invoices are sent (addressee, full address, postal code), optional
 */
public record PaymentDetails(
        @NotNull @Pattern(regexp = "ALIPAY|WECHAT_PAY|ONLINE_BANKING") String method,
        @NotNull @Pattern(regexp = "^[A-Za-z0-9._:/-]{8,200}$") String providerToken,
        @Size(min = 1, max = 64) String accountHolder,
        @Size(min = 1, max = 200) String invoiceTitle,
        @Pattern(regexp = "^[0-9A-Z]{15,20}$") String taxId,
        @Size(min = 1, max = 300) String billingAddress) {

    /** Field names as holders ask for them. */
    public static final java.util.List<String> FIELDS = java.util.List.of("method", "providerToken", "accountHolder",
            "invoiceTitle", "taxId", "billingAddress");

    java.util.Map<String, String> asMap() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("method", method);
        m.put("providerToken", providerToken);
        m.put("accountHolder", accountHolder);
        m.put("invoiceTitle", invoiceTitle);
        m.put("taxId", taxId);
        m.put("billingAddress", billingAddress);
        return m;
    }
}
