"""Signing in, passwords, MFA, permissions and email."""

ARTICLES = [
    {
        "key": "password-self-service",
        "title": "Reset your password with self-service",
        "summary": "Forgot your password? Reset it yourself in two minutes from any browser, no call needed.",
        "keywords": "forgot password, reset password, self-service, sspr",
        "service": "Single sign-on",
        "category": "Access/Password reset",
        "audience": "public",
        "body": """If you have forgotten your password you can set a new one yourself.

1. Open **https://passwordreset.example.com** in any browser (your phone works too).
2. Enter your work email address and solve the check.
3. Choose how to prove it is you: a code sent to your registered mobile number or your authenticator app.
4. Type a new password: at least 14 characters, not one of your last 10. A short sentence is easiest to remember.
5. Sign out of every device and sign in again with the new password.

If you never registered a phone number, the service desk can reset it for you after checking your identity.
Your laptop may keep showing the old password until it reaches the office network or the VPN once.""",
    },
    {
        "key": "password-expired",
        "title": "Change an expired password on your laptop",
        "summary": "Windows says your password has expired: change it at the sign-in screen or with Ctrl+Alt+Delete.",
        "keywords": "password expired, change password, windows sign-in, ctrl alt delete",
        "service": "Single sign-on",
        "category": "Access/Password reset",
        "audience": "public",
        "body": """Passwords expire every 180 days. Windows warns you 14 days before.

## Change it before it expires
Press **Ctrl+Alt+Delete**, choose **Change a password**, type the old one and the new one twice.

## It already expired
At the sign-in screen Windows asks you to change it. If you work from home, connect the VPN first from the
sign-in screen (the network icon at the bottom right), otherwise the laptop cannot reach the domain.

After changing it, update the password on your phone's mail app and lock and unlock your laptop once so cached
credentials are refreshed.""",
    },
    {
        "key": "account-locked",
        "title": "Account locked after too many sign-in attempts",
        "summary": "Five wrong passwords lock your account for 15 minutes; find the device that keeps trying the old one.",
        "keywords": "account locked, locked out, lockout, too many attempts",
        "service": "Single sign-on",
        "category": "Access/Account locked",
        "audience": "public",
        "body": """After five failed sign-ins your account is locked for **15 minutes**, then unlocks by itself.

If it locks again and again, a device is still using an old password. Usual suspects:

- a phone or tablet with your work mail set up,
- a mapped network drive that saved your credentials,
- Wi-Fi on a second laptop,
- a scheduled task or an old remote desktop session.

Update or remove the saved password on each of them. If you need to work right now, call the service desk: an
agent can unlock the account after checking your identity.""",
    },
    {
        "key": "mfa-new-phone",
        "title": "Set up multi-factor authentication on a new phone",
        "summary": "Moving to a new phone? Register the authenticator app again before you wipe the old one.",
        "keywords": "mfa, authenticator app, new phone, two-factor, register",
        "service": "Single sign-on",
        "category": "Access/Permissions",
        "audience": "public",
        "body": """Multi-factor authentication (MFA) asks for a code or an approval on your phone when you sign in.

## Before you change phones
1. Install **Microsoft Authenticator** on the new phone.
2. On your computer open **https://mysignins.example.com/security-info**.
3. Choose **Add sign-in method > Authenticator app** and scan the QR code with the new phone.
4. Approve the test notification, then delete the old phone from the list.

## The old phone is lost or wiped
You cannot add the new phone yourself. Call the service desk: after checking your identity an agent resets your
MFA registration and you register again at next sign-in.""",
    },
    {
        "key": "mfa-codes-rejected",
        "title": "Authenticator codes are rejected",
        "summary": "The six-digit code is refused: the phone's clock is out of sync or you are using an old account entry.",
        "keywords": "mfa code invalid, authenticator, verification code, time sync, 2fa",
        "service": "Single sign-on",
        "category": "Access/Account locked",
        "audience": "public",
        "body": """Codes change every 30 seconds and depend on your phone's clock.

- Set the phone's date and time to **automatic** (Settings > General > Date & time).
- In Microsoft Authenticator, check you pick the entry for your **work** account, not an old one.
- Prefer the push approval over typing the code when it is offered.

If codes still fail after fixing the clock, your registration may be broken: ask the service desk to reset it.""",
    },
    {
        "key": "mfa-reset-agent",
        "title": "Reset a user's MFA registration (agents)",
        "summary": "Identity check, then revoke sessions and require re-registration in the identity provider admin.",
        "keywords": "mfa reset, require re-register, revoke sessions, identity verification",
        "service": "Single sign-on",
        "category": "Access/Permissions",
        "audience": "internal",
        "body": """Only after **verifying identity**: a call back to the number in the HR system, or the manager's
confirmation in writing. Never reset on the strength of an email alone.

1. Open the identity provider admin centre, **Users > the user > Authentication methods**.
2. Choose **Require re-register MFA** and **Revoke MFA sessions**.
3. Revoke refresh tokens (Sign-in sessions > Revoke) so stolen sessions end.
4. Add a work note with how identity was verified.
5. Ask the user to sign in; they are prompted to register the authenticator again.

If the user reports sign-ins they did not make, escalate to Security before resetting anything.""",
    },
    {
        "key": "shared-mailbox-access",
        "title": "Get access to a shared mailbox",
        "summary": "Ask the mailbox owner to approve; once granted, the shared mailbox appears in Outlook within an hour.",
        "keywords": "shared mailbox, team inbox, full access, send as",
        "service": "Email",
        "category": "Email/Mailbox",
        "audience": "public",
        "body": """Shared mailboxes (like *invoices@* or *support@*) belong to a team.

1. Raise a request naming the mailbox and whether you need **read**, **send as** or **send on behalf**.
2. The mailbox owner approves it.
3. Within an hour the mailbox appears in Outlook's folder list by itself. If not, restart Outlook.

In Outlook on the web: right-click **Folders > Add shared folder** and type the mailbox name.""",
    },
    {
        "key": "folder-permissions-agent",
        "title": "Grant permissions on a network folder (agents)",
        "summary": "Add the user to the folder's access group, never to the folder ACL directly; the owner must approve.",
        "keywords": "ntfs permissions, access group, file share access, folder rights",
        "service": "File shares",
        "category": "Access/Permissions",
        "audience": "internal",
        "body": """Every shared folder has two groups: `FS-<share>-RO` and `FS-<share>-RW`.

1. Check the request carries the folder owner's approval (owners are listed in the share register).
2. Add the user to the right group in Active Directory. Never edit the folder ACL itself.
3. Tell the user to **sign out and back in** (group membership is read at sign-in) or reconnect the VPN.

Audit: the group change is logged; paste the group name in a work note.""",
    },
    {
        "key": "outlook-password-prompt",
        "title": "Outlook keeps asking for your password",
        "summary": "Repeated credential prompts in Outlook usually come from a stale saved password or an old profile.",
        "keywords": "outlook password prompt, credentials, keeps asking, authentication",
        "service": "Email",
        "category": "Email/Mailbox",
        "audience": "public",
        "body": """If Outlook asks for your password again and again:

1. Close Outlook.
2. Open **Credential Manager** from the Start menu, **Windows Credentials**, and remove every entry that
   starts with `MicrosoftOffice` or mentions *outlook*.
3. Start Outlook and sign in once, ticking **Remember me**.

Still asking? Sign out of Office (File > Office Account > Sign out), restart and sign in again. Changed your password
recently? Update it on your phone too: a phone with the old password can also lock your account.""",
    },
    {
        "key": "mailbox-full",
        "title": "Mailbox full: free up space",
        "summary": "Your mailbox is over its quota and cannot send: empty Deleted Items, remove large attachments, archive.",
        "keywords": "mailbox full, quota, storage, archive, large attachments",
        "service": "Email",
        "category": "Email/Mailbox",
        "audience": "public",
        "body": """Mailboxes hold 50 GB. Over 49 GB you cannot send; over 50 GB you cannot receive.

- Empty **Deleted Items** and **Junk**.
- Search `size:>10MB` and save big attachments to OneDrive, then delete the mails.
- Turn on the **online archive**: right-click your mailbox > Archive settings. Mail older than two years moves there.

The size shown in Outlook updates within a few minutes. The archive itself has no practical limit.""",
    },
    {
        "key": "email-bounce-550",
        "title": "External mail bounces with 550 5.7.1",
        "summary": "Outbound mail rejected by the recipient's server: usually our sending IP or SPF/DKIM alignment.",
        "keywords": "ndr, bounce, 550 5.7.1, spf, dkim, relay denied, undeliverable",
        "service": "Email",
        "category": "Email/Delivery",
        "audience": "internal",
        "body": """Read the non-delivery report: the **remote server** line tells who rejected it.

- `550 5.7.1 ... SPF` : check the sending connector; mail from a scanner or an app must go through the MX gateway.
- `550 5.7.1 ... blocklisted` : look up the gateway IP on the usual blocklists; open a ticket with the provider.
- `550 5.7.1 Relay access denied` : the recipient domain is misspelt, or the app relays without authentication.

Run a message trace (admin centre > Mail flow > Message trace) with the sender and time, attach it to the incident,
and escalate to Workplace Engineering if more than one user is affected.""",
    },
    {
        "key": "phishing-report",
        "title": "Report a phishing or suspicious email",
        "summary": "Don't click: use the Report button in Outlook. If you already clicked or typed your password, call us.",
        "keywords": "phishing, spam, suspicious email, scam, report message",
        "service": "Email",
        "category": "Email/Delivery",
        "audience": "public",
        "body": """Signs of phishing: urgency, a sender that doesn't match the name, links to unknown sites, unexpected
attachments, requests for your password or payment changes.

1. Don't click links or open attachments.
2. In Outlook select the mail and click **Report > Phishing**. It goes to Security and leaves your inbox.

**Already clicked or typed your password?** Change your password immediately (self-service) and call the service
desk so we can revoke sessions. Nobody from IT will ever ask for your password.""",
    },
    {
        "key": "email-on-phone",
        "title": "Set up work email on your phone",
        "summary": "Use the Outlook app on iPhone or Android; the built-in mail apps are not allowed to sync work mail.",
        "keywords": "mobile email, iphone, android, outlook app, sync",
        "service": "Email",
        "category": "Email/Mailbox",
        "audience": "public",
        "body": """Work mail syncs only to the **Outlook** app (App Store or Google Play).

1. Install Outlook and the **Authenticator** app.
2. Open Outlook, add your work address, and approve the sign-in.
3. Accept the work profile prompt: it protects company data and lets IT wipe only work data if the phone is lost.

Mail and calendar sync in a few minutes. Contacts can be saved to the phone from Outlook's settings.""",
    },
    {
        "key": "calendar-delegate",
        "title": "Share your calendar or give someone delegate access",
        "summary": "Share a calendar to let colleagues see your availability; make an assistant a delegate to manage it.",
        "keywords": "calendar sharing, delegate, permissions, assistant, free busy",
        "service": "Email",
        "category": "Email/Calendar",
        "audience": "public",
        "body": """## Share
In Outlook, **Calendar > Share calendar**, pick the person and the detail: *can view when I'm busy*, *can view
titles and locations*, or *can view all details*.

## Delegate
**File > Account settings > Delegate access > Add**. A delegate can accept meetings for you and, if you allow it, see
private items. Meeting requests then go to both of you.

The shared calendar appears for the other person after they accept the invitation mail.""",
    },
    {
        "key": "meeting-invites-missing",
        "title": "Meeting invitations don't arrive or the calendar doesn't update",
        "summary": "Invites are missing or accepted meetings vanish: check delegates, inbox rules and the cached mode.",
        "keywords": "meeting invite, calendar not updating, invitations, outlook calendar",
        "service": "Email",
        "category": "Email/Calendar",
        "audience": "public",
        "body": """1. Check **Delegate access**: if a delegate is set to receive requests only, you won't see them.
2. Check inbox rules (File > Manage rules) for one that moves or deletes invitations.
3. Open Outlook on the web: if the meeting is there, your desktop Outlook is out of date. Restart it, or turn
   Cached Exchange Mode off and on.
4. Invitations from outside the company land in Junk when the sender is unknown: mark them *Not junk*.""",
    },
    {
        "key": "recover-deleted-email",
        "title": "Recover a deleted email",
        "summary": "Deleted mail stays recoverable for 30 days, even after Deleted Items is emptied.",
        "keywords": "deleted email, recover, restore, deleted items, retention",
        "service": "Email",
        "category": "Email/Mailbox",
        "audience": "public",
        "body": """- Look in **Deleted Items** first: drag the mail back to the inbox.
- Emptied it? In Deleted Items click **Recover items deleted from this folder**, select the mails, **Restore**.

Items are kept for **30 days**. Older than that, a restore from backup is possible for legal holds only: ask the
service desk.""",
    },
    {
        "key": "out-of-office",
        "title": "Set an automatic out-of-office reply",
        "summary": "Turn on automatic replies in Outlook with separate messages for colleagues and external senders.",
        "keywords": "out of office, automatic reply, ooo, vacation, holiday",
        "service": "Email",
        "category": "Email/Mailbox",
        "audience": "public",
        "body": """Outlook desktop: **File > Automatic Replies**. Outlook on the web: **Settings > Mail > Automatic replies**.

1. Choose **Send automatic replies** and set a start and end time.
2. Write the message for people inside the company.
3. On the **Outside my organization** tab write a shorter one, without phone numbers or travel details.

Tip: also block your calendar so colleagues see you're away.""",
    },
]
