using Microsoft.AspNetCore.Identity;

namespace BackOffice.Core.Identity;

public class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public bool Disabled { get; set; }
}

public static class Roles
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Cashier = "Cashier";
    public static readonly string[] All = [Admin, Manager, Cashier];
    /// <summary>Who may use the back-office and the jobs dashboard.</summary>
    public const string BackOffice = Admin + "," + Manager;
}
