package io.pledge.account.registration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/**
 * A registration (policy 2.1.1(1)). Province and city are optional and never required.
 *
 * @param accountType INDIVIDUAL (default) or ENTERPRISE
 * @param locale      preferred language for notices, zh-CN (default) or en
 */
public record RegistrationRequest(@NotBlank @Size(max = 64) String userName,
                                  @NotBlank @Size(max = 320) String email,
                                  @NotBlank @Size(max = 32) String mobile,
                                  @NotBlank @Size(max = 128) String password,
                                  @NotNull LocalDate birthDate,
                                  @Pattern(regexp = "INDIVIDUAL|ENTERPRISE") String accountType,
                                  @Size(min = 1, max = 64) String province,
                                  @Size(min = 1, max = 64) String city,
                                  @Pattern(regexp = Account.LOCALE_PATTERN) String locale) {
}
