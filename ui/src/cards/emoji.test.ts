// Feishu emoji shortcodes (#17 §3.1): names spelled as the documented emoji_type list spells them.
import { describe, expect, it } from "vitest";
import { EMOJI, emoji } from "./emoji";

// The emoji_type names of the list the rich-text pages link to ("表情文案说明",
// https://open.feishu.cn/document/server-docs/im-v1/message-reaction/emojis-introduce), in its order.
const DOCUMENTED = `
OK THUMBSUP THANKS MUSCLE FINGERHEART APPLAUSE FISTBUMP JIAYI DONE SMILE BLUSH LAUGH SMIRK LOL
FACEPALM LOVE WINK PROUD WITTY SMART SCOWL THINKING SOB CRY ERROR NOSEPICK HAUGHTY SLAP
SPITBLOOD TOASTED GLANCE DULL INNOCENTSMILE JOYFUL WOW TRICK YEAH ENOUGH TEARS EMBARRASSED KISS
SMOOCH DROOL OBSESSED MONEY TEASE SHOWOFF COMFORT CLAP PRAISE STRIVE XBLUSH SILENT WAVE WHAT
FROWN SHY DIZZY LOOKDOWN CHUCKLE WAIL CRAZY WHIMPER HUG BLUBBER WRONGED HUSKY SHHH SMUG ANGRY
HAMMER SHOCKED TERROR PETRIFIED SKULL SWEAT SPEECHLESS SLEEP DROWSY YAWN SICK PUKE BETRAYED
HEADSET EatingFood MeMeMe Sigh Typing Lemon Get LGTM OnIt OneSecond VRHeadset YouAreTheBest
SALUTE SHAKE HIGHFIVE UPPERLEFT ThumbsDown SLIGHT TONGUE EYESCLOSED RoarForYou CALF BEAR BULL
RAINBOWPUKE ROSE HEART PARTY LIPS BEER CAKE GIFT CUCUMBER Drumstick Pepper CANDIEDHAWS
BubbleTea Coffee Yes No OKR CheckMark CrossMark MinusOne Hundred AWESOMEN Pin Alarm Loudspeaker
Trophy Fire BOMB Music XmasTree Snowman XmasHat FIREWORKS 2022 REDPACKET FORTUNE LUCK
FIRECRACKER StickyRiceBalls HEARTBROKEN POOP StatusFlashOfInspiration 18X CLEAVER Soccer
Basketball GeneralDoNotDisturb Status_PrivateMessage GeneralInMeetingBusy StatusReading
StatusInFlight GeneralBusinessTrip GeneralWorkFromHome StatusEnjoyLife GeneralTravellingCar
StatusBus GeneralSun GeneralMoonRest MoonRabbit Mooncake JubilantRabbit TV Movie Pumpkin
BeamingFace Delighted ColdSweat FullMoonFace Partying GoGoGo ThanksFace SaluteFace Shrug
ClownFace HappyDragon
`.split(/\s+/).filter(Boolean);

describe("Feishu emoji shortcodes", () => {
  it("draws only names on the documented list, spelled as it spells them", () => {
    expect(Object.keys(EMOJI).filter((name) => !DOCUMENTED.includes(name))).toEqual([]);
  });

  it("knows the documented list's first rows, in their spelling", () => {
    const firstRows = ["OK", "THUMBSUP", "THANKS", "MUSCLE", "FINGERHEART", "APPLAUSE", "FISTBUMP", "JIAYI", "DONE", "SMILE", "BLUSH"];
    expect(firstRows.filter((name) => emoji(name) === null)).toEqual([]);
    expect(Object.keys(EMOJI).slice(0, firstRows.length)).toEqual(firstRows);
  });

  it("draws the list's images as the nearest emoji: BLUSH is a grin, FINGERHEART a finger heart, JIAYI +1", () => {
    expect(emoji("BLUSH")).toBe("😁");
    expect(emoji("FINGERHEART")).toBe("🫰");
    expect(emoji("JIAYI")).toBe("+1");
    expect(emoji("ThumbsDown")).toBe("👎");
  });

  it("is case-sensitive like the list, and drops names the list does not have", () => {
    expect(emoji("thumbsup")).toBeNull();
    expect(emoji("THUMBSDOWN")).toBeNull();
    expect(emoji("Pray")).toBeNull();
    for (const name of Object.keys(EMOJI)) expect(name, name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
  });
});
