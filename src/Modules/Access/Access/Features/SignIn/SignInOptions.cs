namespace Register.Access.Features.SignIn;

/// <summary>
/// <c>SignIn:*</c>: how people sign in to the pages. With <c>SignIn:OpenIdConnect:Authority</c> set, they sign in
/// through that identity provider (DfE Sign-in); Register's own sign-in (email and password, first set through a
/// one-time link) is on when no identity provider is configured, or when <c>SignIn:LocalSignIn</c> says so.
/// </summary>
internal sealed class SignInOptions
{
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(2);

    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    public int MaxFailedAttempts { get; set; } = 5;

    public TimeSpan LockoutPeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password hashes (OWASP's 600,000); a hash keeps the count it was made with.</summary>
    public int PasswordIterations { get; set; } = 600_000;

    public bool? LocalSignIn { get; set; }

    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    public bool UsesIdentityProvider => !string.IsNullOrWhiteSpace(OpenIdConnect.Authority);

    public bool LocalSignInEnabled => LocalSignIn ?? !UsesIdentityProvider;
}

internal sealed class OpenIdConnectSettings
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>What the sign-in button calls the identity provider.</summary>
    public string DisplayName { get; set; } = "DfE Sign-in";

    public bool RequireHttpsMetadata { get; set; } = true;
}
