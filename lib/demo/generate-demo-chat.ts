import { DEMO_CATEGORY_NAMES, DEMO_NON_TOXIC, type TDemoCategoryName } from "./demo-taxonomy.ts";
import { seededRandom } from "@/lib/random/seeded-random.ts";

/**
 * A deterministic (seeded) generator of realistic game chat for the demo workspace: matches of a
 * MOBA, a tactical shooter and a battle royale, each a conversation in a text channel or a
 * voice-chat transcript, with several speakers, timestamps, and the mix moderators really see —
 * mostly ordinary chat (including in-game "kill him" talk that naive filters flag), some heated
 * matches where one or two players turn toxic, and other players reacting to them.
 *
 * Written by the project (not copied from any dataset). Toxic lines are realistic but not
 * gratuitous: no real slurs; hate is written as attacks on groups, not as epithets.
 */

export type TDemoSource = "text" | "voice";

export type TDemoLine = {
  /** stable across runs for the same seed, so re-seeding never duplicates */
  externalId: string;
  text: string;
  source: TDemoSource;
  game: string;
  channel: string;
  conversationId: string;
  speakerId: string;
  /** ISO 8601, strictly increasing within a conversation */
  occurredAt: string;
  /** the category this line was written as: the generator's ground truth, for evaluation */
  intent: TDemoCategoryName;
  /** set on ~100 lines: the customer's starting set of labelled examples */
  label: TDemoCategoryName | null;
};

export type TDemoChatOptions = {
  seed?: number;
  /** number of matches; ~25 lines each */
  conversations?: number;
  /** how many lines carry a label (stratified so every category has examples) */
  labelled?: number;
  /** time of the first match */
  startAt?: string;
};

export const DEMO_CHAT_DEFAULTS = { seed: 20261128, conversations: 120, labelled: 100, startAt: "2026-11-01T17:00:00.000Z" } as const;

type TToxicCategory = Exclude<TDemoCategoryName, "Non-toxic">;
type TGenre = "moba" | "shooter" | "battle-royale";

type TGame = {
  name: string;
  code: string;
  genre: TGenre;
  weight: number;
  textChannels: string[];
  voiceChannel: string;
  slots: Record<string, string[]>;
};

const GAMES: TGame[] = [
  {
    name: "Rift Legends",
    code: "rl",
    genre: "moba",
    weight: 0.4,
    textChannels: ["team", "all"],
    voiceChannel: "voice:team",
    slots: {
      hero: ["Vex", "Orrin", "Kaela", "Thorne", "Mirelle", "Grudge", "Sable", "Ashka", "Juno", "Brakk", "Lyra", "Oskar"],
      role: ["jungler", "support", "mid laner", "adc", "top laner"],
      lane: ["top", "mid", "bot"],
      item: ["boots", "a control ward", "the lifesteal blade", "armor", "the mana staff", "an elixir", "the cleanse charm"],
      objective: ["dragon", "baron", "the herald", "their inhib", "the top tower", "the bot tower"],
      // "weapon" in a MOBA is a champion's kit: shared templates ("that {weapon} is busted") still read naturally
      weapon: ["Vex ult", "Thorne's hook", "the new stun", "Kaela's shield", "that burn item"],
    },
  },
  {
    name: "Sector Zero",
    code: "sz",
    genre: "shooter",
    weight: 0.35,
    textChannels: ["team", "all"],
    voiceChannel: "voice:team",
    slots: {
      site: ["A site", "B site", "mid", "long", "connector", "heaven", "the garage", "short"],
      weapon: ["the Viper", "an AR", "the Longbow", "a shotgun", "the Phantom-9", "a pistol", "the Warden"],
      util: ["smoke", "flash", "molly", "drone"],
      role: ["entry", "sniper", "igl", "support", "lurker"],
    },
  },
  {
    name: "Dropzone Royale",
    code: "dz",
    genre: "battle-royale",
    weight: 0.25,
    textChannels: ["squad", "lobby"],
    voiceChannel: "voice:squad",
    slots: {
      place: ["the docks", "Crater Town", "the water tower", "Old Mill", "the dam", "Skyline Mall", "the quarry", "Harbor Point"],
      weapon: ["the marksman rifle", "an SMG", "the pump", "the burst rifle", "a crossbow", "the LMG"],
      loot: ["shield cells", "a medkit", "purple armor", "sniper ammo", "a backpack", "heavy ammo", "a scope"],
      role: ["teammate", "squad leader", "fragger", "support"],
    },
  },
];

const COMMON_SLOTS: Record<string, string[]> = {
  region: ["EU", "Brazil", "Ohio", "Poland", "Texas", "Manila", "Sydney", "Toronto"],
  nationality: ["Brazilian", "Russian", "Polish", "Turkish", "Filipino", "Mexican", "Indian", "French"],
  group: ["women", "immigrants", "foreigners", "gay people", "Muslims", "Jews", "Black people", "Asians"],
};

// --- Non-toxic chat ----------------------------------------------------------------------------

const OPENERS = [
  "gl hf",
  "glhf everyone",
  "hey guys",
  "hi all",
  "anyone on comms?",
  "can you hear me?",
  "yo {player}",
  "lets win this one",
  "first game of the day",
  "duo again {player}?",
  "whats the plan",
  "hello from {region}",
  "is my mic working?",
  "gl",
  "hi team",
  "ok lets go",
  "evening all",
  "back for another one",
  "who's leading?",
  "been a while {player}",
  "{player} you on tonight?",
  "new patch feels weird",
  "warmed up, lets do this",
];

const CLOSERS = [
  "gg",
  "gg wp",
  "ggs",
  "good game all",
  "close one",
  "gg that was fun",
  "one more?",
  "add me for next",
  "gg go next",
  "thanks for the games",
  "wp {player}",
  "ggwp, fun match",
  "gg, {player} carried",
  "ff?",
  "we'll get the next one",
  "gg close game",
  "nice playing with you",
  "gg im off to sleep",
  "gg, that comeback though",
];

const CHATTER = [
  "nice one {player}",
  "wp",
  "thanks for the heal",
  "my bad",
  "sorry lagging",
  "brb 1 min",
  "back",
  "on my way",
  "need help here",
  "wait for me",
  "careful",
  "good call",
  "lol",
  "that was close",
  "ty",
  "np",
  "ok",
  "yep",
  "where is everyone",
  "follow me",
  "group up",
  "lets go",
  "nice",
  "im low",
  "going back",
  "haha",
  "mb",
  "my internet is dying",
  "dog is barking sorry",
  "{player} you're cracked today",
  "can we try something different",
  "i think we can still win this",
  "dont give up",
  "good trade",
  "im so tired lol",
  "anyone else lagging?",
  "what happened there",
  "nice save {player}",
  "that was clean",
  "ok my fault",
  "sorry wrong button",
  "lets play safe for a bit",
  "we got this",
  "calm, we're fine",
  "nice teamwork",
  "hahaha what",
  "i have no idea what im doing",
  "did you see that?",
  "insane",
  "too good",
  "wait what",
  "i'll follow you {player}",
  "sorry, was afk",
  "brb doorbell",
  "pizza just arrived lol",
  "{player} what rank are you",
  "love this map",
  "this patch is wild",
  "we need to talk more",
  "ok listen",
  "my hands are cold lol",
  "how do you do that",
  "teach me that trick later",
  "ok focus",
  "one sec",
  "good job team",
  "nice",
  "nice!",
  "lmao",
  "rip",
  "alguien habla español?",
  "jajaja",
  "vamos",
  "danke",
  "merci",
  "ok ok",
  "true",
  "fair",
  "yeah",
];

const GENRE_CHATTER: Record<TGenre, string[]> = {
  moba: [
    "{hero} mid?",
    "i'll jungle",
    "can i get support?",
    "{objective} up in 30",
    "ward river pls",
    "gank {lane}",
    "{hero} missing",
    "mia {lane}",
    "push {lane}",
    "buy {item}",
    "kill the dragon now",
    "lets destroy their base",
    "im going to murder their carry",
    "we need to take towers",
    "their {hero} is fed, focus them",
    "careful {hero} has ult",
    "back off, no vision",
    "group for baron",
    "nice gank {player}",
    "i'll ward {lane}",
    "go in on {hero}",
    "{hero} flash is down",
    "take {objective}",
    "dont chase {hero}",
    "split push {lane}",
    "i have ult in 10",
    "their jungler is {lane}",
    "stack on me",
    "kill {hero} first",
    "we win late, be patient",
    "{player} can you ping {objective}",
    "i need {item}",
    "{hero} is so strong this patch",
    "lane swap?",
    "slay their support and push",
    "finish the nexus",
    "execute {hero} under tower",
  ],
  shooter: [
    "two on {site}",
    "rotate {site}",
    "smoke {site}",
    "im lurking {site}",
    "eco round",
    "save your guns",
    "buy {weapon}",
    "one shot, 20 hp",
    "he's behind the boxes",
    "headshot him",
    "plant the bomb",
    "defuse, im covering",
    "he's one-shot, push",
    "nice ace!",
    "drop me {weapon}?",
    "kill him he's reloading",
    "flash me in",
    "they're stacking {site}",
    "{util} {site} pls",
    "one {site}",
    "three rushing {site}",
    "watch {site}",
    "im dead, one left {site}",
    "shoot the guy on {site}",
    "cover me",
    "i got {site}",
    "full buy next round",
    "force buy?",
    "nice clutch {player}",
    "i'll entry {site}",
    "{util} out",
    "spike down {site}",
    "last one is low",
    "trade me",
    "he's peeking {site}",
    "blow them up with the grenade",
    "destroy them on retake",
    "i'll hold {site} with {weapon}",
  ],
  "battle-royale": [
    "drop {place}?",
    "landing at {place}",
    "loot {place} then rotate",
    "circle is closing",
    "zone in 20",
    "i need {loot}",
    "enemy squad at {place}",
    "third party incoming",
    "knocked one",
    "revive me pls",
    "im down",
    "pick me up",
    "sniper on the ridge",
    "car's here get in",
    "storm is coming",
    "shoot the guy on the roof",
    "finish him",
    "anyone got {loot}?",
    "i have extra {loot}",
    "ping {place}",
    "one squad left",
    "top 5 lets go",
    "rotate to {place} now",
    "they're camping {place}",
    "i'll take {weapon}",
    "hide in the building",
    "heal up first",
    "push them they're weak",
    "crate drop near {place}",
    "we need high ground",
    "nice knock {player}",
    "wipe them",
    "kill them before zone",
    "blast them with {weapon}",
    "they're shooting from {place}",
    "bridge is blocked",
  ],
};

const REACTIONS = [
  "chill {player}",
  "relax its just a game",
  "reported",
  "muted",
  "not cool man",
  "dude calm down",
  "can we just play",
  "ok thats too far",
  "yikes",
  "blocking you",
  "keep it in the game pls",
  "wow ok",
  "why are you like this",
  "nobody needs that",
  "{player} mute yourself then",
  "reporting after the match",
  "stop it",
  "bro what",
  "thats not ok",
  "lets just focus",
  "ignore him, play",
  "cringe",
  "grow up {player}",
];

// --- Toxic chat (realistic, not gratuitous) ----------------------------------------------------

const TOXIC: Record<TToxicCategory, string[]> = {
  Profanity: [
    "wtf was that",
    "holy shit that was close",
    "fuck this lag",
    "damn it so close",
    "this map is bullshit",
    "shit shit shit im low",
    "what the f*ck is this matchmaking",
    "fucking hell, again?",
    "god damn campers",
    "ffs my mouse died",
    "this is so fucking stupid",
    "holy fuck nice shot",
    "shit, my bad",
    "ugh fuck",
    "are you fucking kidding me",
    "damn that {weapon} is busted",
    "bullshit hitreg again",
    "oh shit run",
    "wtf how did he survive that",
    "fuckin servers",
    "son of a bitch, missed",
    "this game is such crap today",
    "ahh shit here we go again",
    "what the hell was that",
    "crap i forgot to buy",
    "goddammit",
  ],
  Harassment: [
    "{player} you're actually useless",
    "uninstall the game you absolute bot",
    "worst {role} ive ever seen",
    "report {player} for being braindead",
    "nobody likes you, leave",
    "go cry to your mom {player}",
    "youre a waste of space",
    "imagine being this bad at your age",
    "{player} is the reason we lose every game",
    "lmao look at this clown",
    "{player} shut up nobody asked",
    "are you playing with your feet",
    "delete your account {player}",
    "you are so trash its embarrassing",
    "stop talking loser",
    "{player} you should never touch a keyboard again",
    "how are you this stupid",
    "get off my team idiot",
    "youre pathetic {player}",
    "go back to bronze where you belong",
    "{player} your voice is so annoying, shut it",
    "everyone in this lobby is dumber than {player}, and thats saying something",
    "cry more noob",
    "i hope you lose every game for the rest of your life",
    "{player} literally a bot, uninstall",
  ],
  Hate: [
    "girls cant aim, get off comms",
    "go back to your own country",
    "{nationality} players always ruin games",
    "of course the {nationality} guy feeds",
    "no women in ranked pls",
    "this game is full of {group} now, disgusting",
    "speak english or leave, you people are all the same",
    "thats so gay, uninstall",
    "{group} shouldnt be allowed to play",
    "typical {nationality}, cant follow a simple call",
    "a girl on comms, we're losing for sure",
    "{group} ruin every lobby",
    "get back in the kitchen",
    "i dont team with {group}",
    "your whole country is trash",
    "{player} talks like a {nationality} peasant",
    "lol {group} cant play shooters",
    "another {nationality} thrower, every time",
  ],
  Threat: [
    "i know where you live {player}",
    "say that again and ill find your address",
    "ill swat you, i have your ip",
    "watch your back after this match",
    "im going to beat you up irl",
    "wait till i find you at the lan, youre dead",
    "keep talking and ill dox your whole family",
    "{player} i will find you and hurt you",
    "i'll be waiting outside your school",
    "ill make you regret this irl",
    "you wont feel safe after tonight {player}",
    "i have your name, see you soon",
    "next time i see you im breaking your face",
    "ill post your address in the discord",
  ],
  Sexual: [
    "you sound hot, send pics",
    "what are you wearing right now {player}",
    "wanna hook up after this game babe",
    "bet youre a freak irl",
    "show me your body and ill carry you",
    "moan into the mic again",
    "{player} come sit on my lap",
    "girl gamer? send nudes",
    "i'd smash {player} ngl",
    "say something sexy for me",
    "your voice is turning me on",
    "ill trade you my skin for pics",
    "{player} turn on your cam, i want to see you",
  ],
};

const TOXIC_WEIGHTS: [TToxicCategory, number][] = [
  ["Profanity", 0.3],
  ["Harassment", 0.26],
  ["Hate", 0.16],
  ["Threat", 0.14],
  ["Sexual", 0.14],
];

const TAG_PARTS = {
  first: [
    "Night",
    "Shadow",
    "Pixel",
    "Frost",
    "Iron",
    "Lucky",
    "Silent",
    "Crimson",
    "Turbo",
    "Salty",
    "Cosmic",
    "Lazy",
    "Mega",
    "Tiny",
    "Wild",
    "Neon",
    "Rusty",
    "Sneaky",
  ],
  second: ["Owl", "Fox", "Wolf", "Potato", "Viper", "Tiger", "Ninja", "Goose", "Falcon", "Panda", "Raven", "Toast", "Bear", "Mage", "Sniper", "Llama"],
};

// --- Deterministic randomness ------------------------------------------------------------------

type TRng = {
  next: () => number;
  int: (min: number, max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
  shuffle: <T>(items: T[]) => T[];
};

/** The demo's randomness: the shared seeded PRNG (Math.random is not seedable) with a few conveniences. */
export function createRng(seed: number): TRng {
  const next = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
}

function weighted<T>(rng: TRng, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [value, w] of options) {
    r -= w;
    if (r < 0) return value;
  }
  return options[options.length - 1]![0];
}

// --- Text shaping ------------------------------------------------------------------------------

function fill(template: string, rng: TRng, game: TGame, others: string[]): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    if (slot === "player") return rng.pick(others);
    const values = game.slots[slot] ?? COMMON_SLOTS[slot];
    if (!values) throw new Error(`demo chat template uses unknown slot {${slot}} for ${game.name}`);
    return rng.pick(values);
  });
}

const TEXT_SUFFIXES = [" lol", " pls", "!!", " :)", " xd", "?", " haha", "..", " ty"];
const VOICE_FILLERS = ["uh", "um", "like", "okay so", "yo", "wait", "bro", "dude", "alright"];

/** Typed chat gets the odd suffix or all-caps burst; voice transcripts are lowercase, unpunctuated, with fillers. */
function shape(text: string, source: TDemoSource, rng: TRng, isToxic: boolean): string {
  if (source === "voice") {
    let spoken = text
      .toLowerCase()
      .replace(/[!?.,:;)]+/g, "")
      .replace(/\s+/g, " ")
      .trim();
    if (rng.chance(0.35)) spoken = `${rng.pick(VOICE_FILLERS)} ${spoken}`;
    if (rng.chance(0.12)) spoken = `${spoken} ${rng.pick(VOICE_FILLERS)}`;
    if (rng.chance(0.04)) spoken = `${spoken} [inaudible]`;
    if (rng.chance(0.05)) spoken = spoken.replace(/^(\w+)/, "$1 $1");
    return spoken;
  }
  let typed = text;
  if (isToxic && rng.chance(0.2)) return typed.toUpperCase();
  if (rng.chance(0.15)) typed += rng.pick(TEXT_SUFFIXES);
  if (rng.chance(0.1)) typed = typed.charAt(0).toUpperCase() + typed.slice(1);
  return typed;
}

function gamerTag(rng: TRng, taken: Set<string>): string {
  for (;;) {
    const style = rng.int(0, 3);
    const a = rng.pick(TAG_PARTS.first);
    const b = rng.pick(TAG_PARTS.second);
    const tag =
      style === 0
        ? `${a}${b}${rng.int(1, 99)}`
        : style === 1
          ? `${a.toLowerCase()}_${b.toLowerCase()}`
          : style === 2
            ? `xX${b}${a}Xx`
            : `${b}${rng.int(1990, 2011)}`;
    if (!taken.has(tag)) {
      taken.add(tag);
      return tag;
    }
  }
}

// --- Conversations -----------------------------------------------------------------------------

type TMood = "calm" | "heated" | "toxic";
const MOODS: [TMood, number][] = [
  ["calm", 0.5],
  ["heated", 0.35],
  ["toxic", 0.15],
];
// Per-line chance that a toxic speaker's line is toxic; overall ~9% of lines, as in a busy lobby.
const TOXIC_RATE: Record<TMood, number> = { calm: 0.05, heated: 0.5, toxic: 0.85 };

function generateConversation(rng: TRng, index: number, startMs: number): Omit<TDemoLine, "label">[] {
  const game = weighted(
    rng,
    GAMES.map((g) => [g, g.weight] as const),
  );
  const source: TDemoSource = rng.chance(0.35) ? "voice" : "text";
  const channel = source === "voice" ? game.voiceChannel : rng.pick(game.textChannels);
  const conversationId = `${game.code}-match-${String(index + 1).padStart(4, "0")}`;
  const taken = new Set<string>();
  const speakers = Array.from({ length: rng.int(3, source === "voice" ? 5 : 6) }, () => gamerTag(rng, taken));
  const mood = weighted(rng, MOODS);
  const toxicSpeakers = mood === "calm" ? [rng.pick(speakers)] : rng.shuffle([...speakers]).slice(0, mood === "toxic" ? 2 : 1);
  const length = rng.int(14, 38);
  const lines: Omit<TDemoLine, "label">[] = [];
  let at = startMs;
  let lastSpeaker = "";
  let pendingReactionTo: string | null = null;

  for (let i = 0; i < length; i++) {
    at += source === "voice" ? rng.int(1, 12) * 1000 + rng.int(0, 999) : rng.int(2, 45) * 1000 + rng.int(0, 999);
    const isClosing = i >= length - 2;
    let speaker = rng.pick(speakers);
    // Consecutive lines mostly alternate speakers, as in real chat.
    if (speaker === lastSpeaker && rng.chance(0.7)) speaker = rng.pick(speakers);
    let intent: TDemoCategoryName = DEMO_NON_TOXIC;
    let template: string;

    if (pendingReactionTo && !isClosing) {
      // Someone else answers the toxic line: moderators need that context in the conversation view.
      speaker = rng.pick(speakers.filter((s) => s !== pendingReactionTo));
      template = rng.pick(REACTIONS);
      pendingReactionTo = null;
    } else if (i < 2) {
      template = rng.pick(OPENERS);
    } else if (isClosing) {
      template = rng.pick(CLOSERS);
    } else if (toxicSpeakers.includes(speaker) && rng.chance(TOXIC_RATE[mood])) {
      intent = weighted(rng, TOXIC_WEIGHTS);
      template = rng.pick(TOXIC[intent]);
      // Swearing at the lag rarely draws a reply; an attack on a player usually does.
      if (intent !== "Profanity" && rng.chance(0.6)) pendingReactionTo = speaker;
    } else {
      template = rng.chance(0.55) ? rng.pick(GENRE_CHATTER[game.genre]) : rng.pick(CHATTER);
    }

    const others = speakers.filter((s) => s !== speaker);
    const text = shape(fill(template, rng, game, others), source, rng, intent !== DEMO_NON_TOXIC);
    lines.push({
      externalId: `demo-${conversationId}-${String(i + 1).padStart(3, "0")}`,
      text,
      source,
      game: game.name,
      channel,
      conversationId,
      speakerId: speaker,
      occurredAt: new Date(at).toISOString(),
      intent,
    });
    lastSpeaker = speaker;
  }
  return lines;
}

/**
 * Picks which lines carry a label: every toxic category gets an equal share (rare harms are the
 * ones a cold-start model most needs examples of), non-toxic gets the rest.
 */
function chooseLabelled(rng: TRng, lines: Omit<TDemoLine, "label">[], labelled: number): Set<number> {
  const byIntent = new Map<TDemoCategoryName, number[]>(DEMO_CATEGORY_NAMES.map((n) => [n, []]));
  lines.forEach((l, i) => byIntent.get(l.intent)!.push(i));
  const toxicNames = DEMO_CATEGORY_NAMES.filter((n) => n !== DEMO_NON_TOXIC);
  const perToxic = Math.floor((labelled * 0.65) / toxicNames.length);
  const chosen = new Set<number>();
  for (const name of toxicNames) {
    for (const i of rng.shuffle([...byIntent.get(name)!]).slice(0, perToxic)) chosen.add(i);
  }
  for (const i of rng.shuffle([...byIntent.get(DEMO_NON_TOXIC)!])) {
    if (chosen.size >= labelled) break;
    chosen.add(i);
  }
  return chosen;
}

/** The demo chat: same options, same lines, byte for byte. */
export function generateDemoChat(opts: TDemoChatOptions = {}): TDemoLine[] {
  const seed = opts.seed ?? DEMO_CHAT_DEFAULTS.seed;
  const conversations = opts.conversations ?? DEMO_CHAT_DEFAULTS.conversations;
  const labelled = opts.labelled ?? DEMO_CHAT_DEFAULTS.labelled;
  const startMs = Date.parse(opts.startAt ?? DEMO_CHAT_DEFAULTS.startAt);
  if (!Number.isFinite(startMs)) throw new Error(`generateDemoChat: startAt is not a date: ${opts.startAt}`);
  const rng = createRng(seed);
  const lines: Omit<TDemoLine, "label">[] = [];
  let matchStart = startMs;
  for (let c = 0; c < conversations; c++) {
    lines.push(...generateConversation(rng, c, matchStart));
    // Matches spread over a few weeks of evenings, some overlapping, as a live game's log would.
    matchStart += rng.int(4, 240) * 60_000;
  }
  const chosen = chooseLabelled(rng, lines, labelled);
  return lines.map((l, i) => ({ ...l, label: chosen.has(i) ? l.intent : null }));
}
