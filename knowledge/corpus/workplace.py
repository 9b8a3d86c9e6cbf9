"""Printers, laptops, monitors, phones and software."""

ARTICLES = [
    {
        "key": "add-printer",
        "title": "Add a network printer",
        "summary": "Install an office printer on Windows from the print server, by floor and printer name.",
        "keywords": "add printer, install printer, print server, follow-me printing",
        "service": "Printing",
        "category": "Hardware/Printer",
        "audience": "public",
        "body": """Printers are named by floor, like `HQ-F2-MFP1`.

1. Open **Settings > Bluetooth & devices > Printers & scanners > Add device**.
2. If it is not listed, click *Add manually* and type `\\\\print-srv-01\\HQ-F2-MFP1`.
3. Or use **Follow-me printing**: print to *FollowMe* and release the job at any printer with your badge.

From home you can't print to office printers.""",
    },
    {
        "key": "printer-jam",
        "title": "Printer jams or feeds paper badly",
        "summary": "Clear a paper jam safely, then check the paper type and tray guides so it doesn't happen again.",
        "keywords": "paper jam, printer jam, misfeed, tray, printing",
        "service": "Printing",
        "category": "Hardware/Printer",
        "audience": "public",
        "body": """1. Follow the animation on the printer's screen: it shows which door to open.
2. Pull paper out **slowly in the direction of the paper path**; torn pieces cause the next jam.
3. Check the tray: paper guides touching the stack, not more than the max line, no damp or curled paper.
4. Close all doors; the printer restarts the job.

Jams every few pages, or a grinding noise? Stop using it and report it with the printer name on its label: the
vendor visits within one working day.""",
    },
    {
        "key": "print-queue-stuck",
        "title": "Print jobs stuck in the queue",
        "summary": "Documents sit in the print queue and never print: cancel them, restart the printer, print again.",
        "keywords": "print queue, stuck, spooler, printing, pending jobs",
        "service": "Printing",
        "category": "Hardware/Printer",
        "audience": "public",
        "body": """1. Open **Settings > Printers & scanners > the printer > Open print queue**.
2. Cancel every document (Printer > Cancel all documents).
3. Switch the printer off and on.
4. Print again.

If the queue says *Error - printing* for everyone on the floor, the print server needs attention: report it and
use another floor's printer or Follow-me printing meanwhile.""",
    },
    {
        "key": "print-spooler-agent",
        "title": "Restart the print spooler on the print server (agents)",
        "summary": "Queues stuck for everyone: restart the spooler on print-srv-01 safely and clear corrupt jobs.",
        "keywords": "print spooler, print-srv-01, restart service, stuck queue, printing",
        "service": "Printing",
        "category": "Hardware/Printer",
        "audience": "internal",
        "body": """Only when several users on different printers report stuck jobs.

1. Remote desktop to `print-srv-01` with your admin account.
2. Stop the **Print Spooler** service.
3. Delete the files in `C:\\Windows\\System32\\spool\\PRINTERS`.
4. Start the service and print a test page to two printers.

Add a work note with the time; if it happens twice in a week raise a problem record.""",
    },
    {
        "key": "scan-to-email",
        "title": "Scan to email from a multifunction printer",
        "summary": "Badge in at the printer, choose Scan to me, and the PDF arrives in your mailbox.",
        "keywords": "scan, scanner, scan to email, pdf, multifunction printer",
        "service": "Printing",
        "category": "Hardware/Printer",
        "audience": "public",
        "body": """1. Tap your badge on the printer.
2. Choose **Scan to me**. The document goes to your own email address as a PDF.
3. For several pages use the feeder on top, face up.

Nothing arrives after 10 minutes? Check Junk, then the size: scans over 25 MB are not sent; scan in black and white
or at a lower resolution.""",
    },
    {
        "key": "laptop-no-power",
        "title": "Laptop won't turn on or charge",
        "summary": "No lights, no charging: check the charger and socket, do a hard reset, then book a repair.",
        "keywords": "laptop not turning on, no power, battery, charger, dead laptop",
        "service": "Laptops",
        "category": "Hardware/Laptop",
        "audience": "public",
        "body": """1. Plug the charger straight into a wall socket (not a dock) and check its light.
2. Hard reset: unplug it, hold the power button for **30 seconds**, plug in, press power.
3. Try a colleague's charger of the same type.
4. If the screen stays black but the lights come on, plug in an external monitor.

Still dead: raise an incident; we swap the laptop the same day at the IT bar. Your files are in OneDrive.""",
    },
    {
        "key": "laptop-slow",
        "title": "Laptop is slow",
        "summary": "A sluggish laptop usually needs a restart, updates and fewer start-up apps; check disk space too.",
        "keywords": "slow computer, performance, laptop slow, freezing, sluggish",
        "service": "Laptops",
        "category": "Hardware/Laptop",
        "audience": "public",
        "body": """- **Restart** (not just close the lid): many updates finish only at restart.
- Task Manager (Ctrl+Shift+Esc) > *Processes*: sort by CPU and memory; close what you don't need.
- *Start-up apps*: disable the ones you don't need at sign-in.
- Less than 10 GB free on C:? Empty the recycle bin and use *Free up space* in OneDrive.

Slow only on VPN or only for one application? Tell us which: it is probably not the laptop.""",
    },
    {
        "key": "monitor-dock",
        "title": "External monitor not detected on the docking station",
        "summary": "The screen stays black on the dock: reseat the cable, update the dock firmware, check display settings.",
        "keywords": "external monitor, second screen, docking station, display, usb-c dock",
        "service": "Laptops",
        "category": "Hardware/Monitor",
        "audience": "public",
        "body": """1. Unplug the USB-C cable from the laptop, wait 10 seconds, plug it back.
2. Press **Windows+P** and choose *Extend*.
3. Check the monitor's input source (button on the monitor) matches the cable.
4. Settings > Display > **Detect**.
5. Update the dock firmware from the Software Centre (*Dock firmware update*).

One monitor works but not the second: the dock drives two screens only with both on DisplayPort.""",
    },
    {
        "key": "bitlocker-recovery",
        "title": "BitLocker recovery key prompt at start-up (agents)",
        "summary": "Find the recovery key in the device record after verifying identity; then suspend and resume protection.",
        "keywords": "bitlocker, recovery key, encryption, startup, blue screen",
        "service": "Laptops",
        "category": "Hardware/Laptop",
        "audience": "internal",
        "body": """BitLocker asks for the recovery key after firmware updates, a dock change or a TPM reset.

1. Verify the caller's identity (call back on the number in the HR system).
2. Read the **Key ID** (first 8 characters) from the user's screen.
3. Find the device in the device management console > *Recovery keys* and read the 48-digit key to the user.
4. Once started, have the user run `manage-bde -protectors -enable C:` or restart twice.

Log the key ID (never the key) in a work note; the key is rotated automatically after use.""",
    },
    {
        "key": "laptop-replacement",
        "title": "Request a new or replacement laptop",
        "summary": "Laptops are replaced every four years or when broken; order through the portal with your manager's approval.",
        "keywords": "new laptop, replacement, hardware request, order computer, refresh",
        "service": "Laptops",
        "category": "Hardware/Laptop",
        "audience": "public",
        "body": """- **Broken**: raise an incident; we swap it from stock.
- **Older than four years**: you are invited to the refresh automatically.
- **New starter or different model**: order in the portal's hardware catalogue; your manager approves.

Delivery takes 3–5 working days. Your old laptop is wiped after you confirm your OneDrive files are synced.""",
    },
    {
        "key": "software-centre-install",
        "title": "Install software from the Software Centre",
        "summary": "Approved applications install themselves from the Software Centre, no admin rights needed.",
        "keywords": "install software, software centre, software center, application, admin rights",
        "service": "Laptops",
        "category": "Software/Installation",
        "audience": "public",
        "body": """1. Open **Software Centre** from the Start menu.
2. Search for the application and click **Install**.

Not listed? Request it in the portal; licensed software needs your manager's approval and takes up to three days.
You don't get local admin rights; the Software Centre installs with the rights it needs.""",
    },
    {
        "key": "office-licence",
        "title": "Office says 'product deactivated' or 'unlicensed product'",
        "summary": "Word or Excel shows a red licence banner: sign in again in Office; if that fails, we check your licence.",
        "keywords": "office licence, license, product deactivated, unlicensed product, activation",
        "service": "Laptops",
        "category": "Software/Licence",
        "audience": "public",
        "body": """1. In Word, **File > Account**, sign out and sign in with your work account.
2. Restart the app.

Still *Unlicensed product*? Your account may have lost its Microsoft 365 licence (for example after a team change).
Raise an incident; we reassign the licence, usually within an hour.""",
    },
    {
        "key": "desk-phone-voicemail",
        "title": "Set up voicemail on your desk phone",
        "summary": "Record a greeting and set a voicemail PIN; voicemails also arrive in your mailbox.",
        "keywords": "voicemail, desk phone, greeting, pin, telephone",
        "service": "Email",
        "category": "Hardware/Phone",
        "audience": "public",
        "body": """1. Press the **Messages** button and enter the temporary PIN `1234`.
2. Choose a new PIN and record your name and greeting.

New voicemails also arrive in your mailbox as an audio attachment. Forgot your PIN? Ask the service desk to reset
it.""",
    },
    {
        "key": "headset-microphone",
        "title": "Headset microphone not working in calls",
        "summary": "Others can't hear you in Teams: pick the right microphone, check mute and app permissions.",
        "keywords": "headset, microphone, teams call, audio, can't hear me, softphone",
        "service": "Laptops",
        "category": "Hardware/Phone",
        "audience": "public",
        "body": """1. In Teams, **Settings > Devices**: choose your headset as both speaker and microphone; use *Make a test call*.
2. Check the mute switch on the headset cable or ear cup.
3. Windows **Settings > Privacy & security > Microphone**: allow apps (and desktop apps) to use it.
4. Bluetooth headsets: remove and pair again; prefer the USB dongle if one came with it.""",
    },
]
