"""VPN, Wi-Fi, file shares and business applications."""

ARTICLES = [
    {
        "key": "vpn-connect-home",
        "title": "Connect to the VPN when working from home",
        "summary": "Use the GlobalProtect client to reach internal systems from home or while travelling.",
        "keywords": "vpn, remote access, globalprotect, work from home",
        "service": "VPN",
        "category": "Network/VPN",
        "audience": "public",
        "body": """The VPN gives you remote access to internal systems (file shares, ERP, intranet).

1. Click the **GlobalProtect** globe icon near the clock.
2. Portal: `vpn.example.com`. Click **Connect**.
3. Sign in with your work account and approve the MFA prompt.

When connected the icon shows a shield. Email, Teams and web apps work without the VPN; connect it only for internal
systems. Hotel or airport Wi-Fi: open a browser first and accept the hotspot's terms, then connect.""",
    },
    {
        "key": "vpn-drops",
        "title": "VPN disconnects every few minutes",
        "summary": "The VPN connection keeps dropping: usually weak Wi-Fi, a power-saving network adapter or an old client.",
        "keywords": "vpn disconnect, vpn drops, unstable connection, globalprotect",
        "service": "VPN",
        "category": "Network/VPN",
        "audience": "public",
        "body": """If the VPN connects but drops every few minutes:

- Move closer to your router or use a cable; the VPN drops when Wi-Fi signal fades.
- Turn off power saving for the network adapter: Device Manager > Network adapters > your Wi-Fi adapter >
  Power Management > untick *Allow the computer to turn off this device*.
- Check the GlobalProtect version (*Settings > About*); anything older than 6.1 reconnects badly: update it from
  the Software Centre.
- Home router with "SIP ALG" or an aggressive firewall: restart the router.

Still dropping? Send us the GlobalProtect logs (*Settings > Troubleshooting > Collect logs*).""",
    },
    {
        "key": "vpn-error-809",
        "title": "VPN error: gateway cannot be reached",
        "summary": "'The network connection between your computer and the VPN server could not be established' or 'gateway not responding'.",
        "keywords": "vpn error, gateway not responding, could not connect, portal unreachable, error 809",
        "service": "VPN",
        "category": "Network/VPN",
        "audience": "public",
        "body": """This message means your computer cannot reach the VPN gateway at all.

1. Check the internet works: open any public website.
2. Public or hotel Wi-Fi often blocks VPN traffic: try your phone's hotspot.
3. Check the portal address is exactly `vpn.example.com`.
4. Restart the GlobalProtect service: restart the laptop.

If colleagues have the same problem at the same time, it is probably an outage: check the status page before
raising an incident.""",
    },
    {
        "key": "vpn-certificate-runbook",
        "title": "Renew the VPN gateway certificate (runbook)",
        "summary": "Yearly renewal of the TLS certificate on vpn-gw-01 and vpn-gw-02 without dropping connected users.",
        "keywords": "vpn certificate, tls, renewal, gateway, runbook, expiry",
        "service": "VPN",
        "category": "Network/VPN",
        "audience": "internal",
        "body": """Certificates expire every year in March. The monitoring alert fires 30 days before.

1. Generate the CSR on the firewall management console (Device > Certificates) with the same SANs.
2. Submit it to the public CA; import the signed certificate and the intermediate chain.
3. Update the SSL/TLS profile of the **portal** and **gateway** on `vpn-gw-02` first, commit, test a connection.
4. Repeat on `vpn-gw-01`.

Connected users stay connected; new connections use the new certificate. Record the change in the change log.""",
    },
    {
        "key": "vpn-split-tunnel",
        "title": "Slow websites while on VPN: split tunnelling",
        "summary": "Why some sites are slow on the VPN and which traffic bypasses the tunnel (agents).",
        "keywords": "split tunnel, vpn slow, bandwidth, latency, video calls",
        "service": "VPN",
        "category": "Network/VPN",
        "audience": "internal",
        "body": """Only internal ranges and a few SaaS apps go through the tunnel; video calls and Microsoft 365 go
direct. If a user reports slow websites on VPN:

- Check whether the site is in the **include** list (it then goes via the data centre and may be slow).
- Run `tracert` to the site: a first hop of 10.x means it is tunnelled.
- Bandwidth problems at home: ask for a speed test with and without VPN.

Changes to the include list need a change request to Network Operations.""",
    },
    {
        "key": "wifi-join-office",
        "title": "Join the office Wi-Fi",
        "summary": "Connect laptops to Corp-Secure automatically; phones and personal devices use Corp-Devices.",
        "keywords": "wifi, wireless, corp-secure, connect, network",
        "service": "Wi-Fi",
        "category": "Network/Wi-Fi",
        "audience": "public",
        "body": """Company laptops join **Corp-Secure** by themselves using a certificate; no password is needed.

- Not connecting? Forget the network, restart, and choose Corp-Secure again.
- Phones and personal tablets: join **Corp-Devices** and sign in with your work account.
- Visitors: use the guest Wi-Fi.

If the laptop shows *No internet, secured*, sign out and in again so it renews its certificate.""",
    },
    {
        "key": "wifi-guest",
        "title": "Guest Wi-Fi for visitors",
        "summary": "Visitors get a one-day guest Wi-Fi code from reception or by sponsoring them on the guest portal.",
        "keywords": "guest wifi, visitor, wireless access, voucher",
        "service": "Wi-Fi",
        "category": "Network/Wi-Fi",
        "audience": "public",
        "body": """Visitors join **Guest** and get a code that works for 24 hours.

- Reception prints codes on request.
- Or sponsor your visitor: open `guest.example.com`, enter their name and mobile number; they receive the code by SMS.

The guest network reaches the internet only, not internal systems.""",
    },
    {
        "key": "wifi-floor3-drops",
        "title": "Wi-Fi drops in the floor 3 meeting rooms (known error)",
        "summary": "Known error: access point ap-floor-3 overloads during all-hands; workaround and fix status.",
        "keywords": "wifi drops, wireless, meeting room, floor 3, known error, access point",
        "service": "Wi-Fi",
        "category": "Network/Wi-Fi",
        "audience": "internal",
        "body": """**Symptom:** laptops lose Wi-Fi in rooms 3.01–3.06 when the floor is busy.

**Cause:** `ap-floor-3` serves too many clients; two more access points are on order (change CHG-2291).

**Workaround:** offer a wired connection (every room has a dock) or the 5 GHz only SSID `Corp-Secure-5`.

Link new incidents to the problem record instead of troubleshooting each one.""",
    },
    {
        "key": "map-network-drive",
        "title": "Map a shared network drive",
        "summary": "Shared drives appear automatically; map one yourself with File Explorer if it is missing.",
        "keywords": "shared drive, network drive, mapped drive, file share, unc path",
        "service": "File shares",
        "category": "Network/Wired network",
        "audience": "public",
        "body": """Team drives (like **S:**) are mapped at sign-in. If one is missing:

1. Open **File Explorer > This PC > Map network drive**.
2. Choose a letter and type the path, for example `\\\\fs-01\\finance`.
3. Tick **Reconnect at sign-in**.

From home connect the VPN first. *Access denied* means you are not in the folder's access group: ask the folder owner
to approve access.""",
    },
    {
        "key": "restore-file-share",
        "title": "Restore a deleted or overwritten file on a shared drive",
        "summary": "Use Previous Versions to get back a file or folder from the last 30 days of snapshots.",
        "keywords": "restore file, previous versions, deleted file, recover, snapshot, shared drive",
        "service": "File shares",
        "category": "Software/Crash or error",
        "audience": "public",
        "body": """Shared drives keep snapshots every 4 hours for 30 days.

1. In File Explorer open the folder that held the file.
2. Right-click an empty space > **Properties > Previous Versions**.
3. Pick a time before the file was deleted or overwritten, **Open**, and copy the file back.

Older than 30 days? The backup vault keeps monthly copies for a year: raise a request with the path and date.""",
    },
    {
        "key": "share-quota",
        "title": "File share quota exceeded (agents)",
        "summary": "A team share hit its quota: find large files, then raise the quota only with the owner's approval.",
        "keywords": "quota, disk full, file share, storage, fsrm",
        "service": "File shares",
        "category": "Software/Crash or error",
        "audience": "internal",
        "body": """Users see *There is not enough space on the drive* although their laptop has space.

1. On `fs-01` open the storage report for the share (FSRM > Storage Reports > Large files).
2. Send the owner the list of the largest files and duplicates.
3. Quota increases above 20% need the owner's approval and a capacity check with Infrastructure.

Temporary relief: a 10% soft-limit extension for 7 days.""",
    },
    {
        "key": "erp-po-approval",
        "title": "Purchase order stuck in approval in the ERP",
        "summary": "A purchase order waits for an approver who is away or no longer in the team: reassign or delegate.",
        "keywords": "purchase order, approval, workflow, erp, finance, ordering",
        "service": "ERP",
        "category": "Software/Crash or error",
        "audience": "public",
        "body": """Orders route to the budget holder of the cost centre.

- Check the order's **Approval history** tab for who it waits on.
- If the approver is away they can set a delegate (*My settings > Delegation*).
- If the approver left, the finance team updates the cost centre owner; ask them, not the service desk.

Orders over 50,000 need a second approval from Finance, which takes up to two working days.""",
    },
    {
        "key": "erp-period-locked",
        "title": "ERP month-end: 'posting period is locked'",
        "summary": "Postings fail with 'period locked' after month-end close; who can open a period and when (agents).",
        "keywords": "erp, posting period, locked period, month end, finance close",
        "service": "ERP",
        "category": "Software/Crash or error",
        "audience": "internal",
        "body": """The previous period closes on the 3rd working day at 18:00.

- Postings dated in a closed period fail with *Posting period is locked*.
- Only the Finance controllers can reopen a period; route the incident to Business Applications with the
  controller's approval attached.
- Never change the period table directly in `erp-db-01`.""",
    },
    {
        "key": "erp-export-timeout",
        "title": "ERP report export to Excel times out",
        "summary": "Large ERP reports fail to export: filter the date range or schedule the report to arrive by email.",
        "keywords": "erp report, export, excel, timeout, large report",
        "service": "ERP",
        "category": "Software/Crash or error",
        "audience": "public",
        "body": """Exports stop after 5 minutes.

- Narrow the date range or the cost centres and export in parts.
- For big reports use **Schedule** > *Send as Excel by email*; it runs overnight with no time limit.
- Use CSV instead of Excel for more than 500,000 rows.""",
    },
    {
        "key": "crm-slow",
        "title": "CRM is slow or pages time out",
        "summary": "Customer records load slowly: clear the browser cache, avoid huge list views, check for an outage.",
        "keywords": "crm slow, performance, timeout, customer records, browser",
        "service": "CRM",
        "category": "Software/Crash or error",
        "audience": "public",
        "body": """1. Check the status page: slowness for everyone is an incident we already work on.
2. Use Chrome or Edge; clear the cache (Ctrl+Shift+Delete, *Cached images and files*).
3. List views with more than 5,000 records are slow: add a filter.
4. Close old CRM tabs; each keeps a live connection.

If one specific record is slow every time, tell us which one.""",
    },
    {
        "key": "crm-access",
        "title": "Can't see a customer's records in the CRM",
        "summary": "Records belong to sales territories; ask your manager to add you to the territory or team.",
        "keywords": "crm access, permissions, territory, customer records, visibility",
        "service": "CRM",
        "category": "Access/Permissions",
        "audience": "public",
        "body": """You see only customers of your territory and team.

- Ask your manager to request access to the territory; the CRM administrators add it within a day.
- Temporary access for a deal: the record owner can **Share** the single record with you.""",
    },
]
