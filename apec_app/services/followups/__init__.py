"""The follow-up businesses: 提前制卡, 换补卡, 未制卡仅更换护照, 注销卡."""
