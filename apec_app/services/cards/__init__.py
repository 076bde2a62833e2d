"""The virtual ABTC: its read model, the signed token in its QR code and the holder's emailed access."""
