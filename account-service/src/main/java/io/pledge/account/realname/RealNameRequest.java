package io.pledge.account.realname;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A real-name authentication request. Each method takes exactly its fields (policy 2.1.1(2)); a field
 * of another method is refused, and so is any field that could carry an image: photos and licences
 * are references to the provider's copy ({@code [A-Za-z0-9._:/-]}, at most 200 characters).
 *
 * @param method      FACE, ALIPAY, BANK_TRANSFER, ENTERPRISE_ALIPAY or ENTERPRISE_BANK_TRANSFER
 * @param providerRef FACE: the face-check provider's reference of the check (the result comes from the provider)
 * @param idNumber    18-character resident ID number
 * @param creditCode  18-character unified social credit code
 */
public record RealNameRequest(
        @NotNull @Pattern(regexp = "FACE|ALIPAY|BANK_TRANSFER|ENTERPRISE_ALIPAY|ENTERPRISE_BANK_TRANSFER") String method,
        @Pattern(regexp = RealNameRequest.REF) String providerRef,
        @Size(min = 1, max = 64) String realName,
        @Pattern(regexp = "^[0-9]{17}[0-9Xx]$") String idNumber,
        @Pattern(regexp = RealNameRequest.REF) String idPhotoFrontRef,
        @Pattern(regexp = RealNameRequest.REF) String idPhotoBackRef,
        @Pattern(regexp = "^[0-9]{8,30}$") String bankAccount,
        @Size(min = 1, max = 100) String bankName,
        @Size(min = 1, max = 100) String bankBranch,
        @Size(min = 1, max = 200) String entityName,
        @Pattern(regexp = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$") String creditCode,
        @Pattern(regexp = RealNameRequest.REF) String licenceRef) {

    /** A reference to a document the provider holds; no room for image data. */
    public static final String REF = "^[A-Za-z0-9._:/-]{1,200}$";
}
