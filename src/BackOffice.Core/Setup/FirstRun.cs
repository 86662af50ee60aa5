using BackOffice.Core.Data;
using BackOffice.Core.Identity;
using BackOffice.Core.Outlets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BackOffice.Core.Setup;

/// <summary>
/// The marker of the one-time setup: at most one row (its key is always <see cref="TheOnlyId"/>), written in the same
/// transaction as the first admin and outlet, so that of two setups at once the database lets one commit.
/// </summary>
public class FirstRun
{
    public const int TheOnlyId = 1;
    public int Id { get; set; } = TheOnlyId;
    public DateTime CompletedAt { get; set; }
    public string? AdminEmail { get; set; }
}

/// <summary>What the setup form holds: the first admin and the first outlet.</summary>
public sealed class SetupForm
{
    public string? Email { get; set; }
    public string? DisplayName { get; set; }
    public string? Password { get; set; }
    public string? ConfirmPassword { get; set; }
    public OutletForm Outlet { get; set; } = new();
}

/// <summary>The setup was done already (or is being done by someone else): the setup answers 404.</summary>
public sealed class SetupAlreadyDoneException() : Exception("The first-run setup is done already.");

/// <summary>
/// The first run of an empty database: while there is no user at all, anyone reaching the app may make the first admin and
/// the first outlet, once. After that the setup is gone for good (a user exists, and the marker row holds the key).
/// </summary>
public sealed class FirstRunSetup(BackOfficeDb db, UserManager<AppUser> users, OutletRegistry outlets, TimeProvider clock)
{
    /// <summary>Whether the setup is still to be done: no user and no marker.</summary>
    public async Task<bool> IsOpenAsync(CancellationToken ct = default) =>
        !await db.Users.AnyAsync(ct) && !await db.FirstRuns.AnyAsync(ct);

    /// <summary>
    /// Makes the first admin and outlet in one transaction, or neither. Field errors as <see cref="ValidationFailedException"/>
    /// (the outlet's keyed "outlet.code" …); <see cref="SetupAlreadyDoneException"/> when it was done, or another setup won the race.
    /// </summary>
    public async Task CompleteAsync(SetupForm form, CancellationToken ct = default)
    {
        if (!await IsOpenAsync(ct)) throw new SetupAlreadyDoneException();

        var problems = new Problems();
        form.Email = form.Email?.Trim();
        form.DisplayName = form.DisplayName?.Trim();
        if (string.IsNullOrEmpty(form.Email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(form.Email))
            problems.Add("email", "Enter the admin's email address.");
        if (string.IsNullOrEmpty(form.DisplayName)) problems.Add("displayName", "Enter the admin's name.");
        else if (form.DisplayName.Length > 100) problems.Add("displayName", "The name is at most 100 characters.");
        var candidate = new AppUser { UserName = form.Email, Email = form.Email, EmailConfirmed = true, DisplayName = form.DisplayName ?? "" };
        if (string.IsNullOrEmpty(form.Password)) problems.Add("password", "Choose a password.");
        else
        {
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, candidate, form.Password);
                foreach (var error in result.Errors) problems.Add("password", error.Description);
            }
            if (form.ConfirmPassword != form.Password) problems.Add("confirmPassword", "The two passwords differ.");
        }
        OutletRules.Check(form.Outlet, problems, "outlet.");
        problems.ThrowIfAny("The setup is not complete.");

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The marker first: a second setup at once waits on this key (or fails on it) and so never makes a second admin.
            db.FirstRuns.Add(new FirstRun { CompletedAt = clock.GetUtcNow().UtcDateTime, AdminEmail = form.Email });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                throw new SetupAlreadyDoneException();
            }
            if (await db.Users.AnyAsync(ct)) throw new SetupAlreadyDoneException();

            await outlets.AddAsync(form.Outlet, ct, "outlet.");
            await db.SaveChangesAsync(ct);

            var admin = new AppUser { UserName = form.Email, Email = form.Email, EmailConfirmed = true, DisplayName = form.DisplayName! };
            var created = await users.CreateAsync(admin, form.Password!);
            if (!created.Succeeded) Refuse(created);
            var inRole = await users.AddToRoleAsync(admin, Roles.Admin);
            if (!inRole.Succeeded) Refuse(inRole);
            await tx.CommitAsync(ct);
        });
    }

    private static void Refuse(IdentityResult result)
    {
        var problems = new Problems();
        foreach (var error in result.Errors)
            problems.Add(error.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email", error.Description);
        problems.ThrowIfAny("The setup is not complete.");
    }
}
