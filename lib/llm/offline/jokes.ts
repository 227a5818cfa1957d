// The offline model's jokes: a pun chosen by the words of the topic when it knows one, else a template with
// the topic in it, chosen by a hash of the topic, so the same topic always gets the same joke.
import { hashString } from "./hashString";

interface Pun {
  /** Every one of these must match the topic for the pun to apply. */
  words: RegExp[];
  setup: string;
  punchline: string;
  emoji: string;
}

const CATS = /\b(cats?|kittens?|kitty)\b/i;
const ICE_CREAM = /\b(ice ?cream|gelato|sundaes?)\b/i;

// Most specific first: a pun matching more words of the topic wins over one matching fewer.
const PUNS: Pun[] = [
  { words: [CATS, ICE_CREAM], setup: "Why did the cat sit on the ice cream cone?", punchline: 'Because it wanted to be a "purr-fect" scoop!', emoji: "🍦🐱" },
  { words: [CATS], setup: "Why did the cat sit on the computer?", punchline: "To keep an eye on the mouse!", emoji: "🐱" },
  { words: [ICE_CREAM], setup: "What's an ice cream cone's favorite day of the week?", punchline: "Sundae, of course!", emoji: "🍦" },
  { words: [/\b(dogs?|pupp(?:y|ies))\b/i], setup: "Why did the dog sit in the shade?", punchline: "Because it didn't want to be a hot dog!", emoji: "🐶" },
  { words: [/\b(coffee|espresso|latte|cappuccino)\b/i], setup: "Why did the coffee file a police report?", punchline: "It got mugged!", emoji: "☕" },
  {
    words: [/\b(code|coding|programm(?:ing|ers?)|software|javascript|typescript|python|bugs?|computers?)\b/i],
    setup: "Why do programmers prefer dark mode?",
    punchline: "Because light attracts bugs!",
    emoji: "🐛",
  },
  { words: [/\b(pizzas?|dough)\b/i], setup: "Why did the pizza maker go broke?", punchline: "He just couldn't make enough dough!", emoji: "🍕" },
  { words: [/\b(bread|bak(?:er|ery|ing)|loaf)\b/i], setup: "Why did the baker go to therapy?", punchline: "They kneaded to talk about their loaf life!", emoji: "🍞" },
  { words: [/\b(space|astronauts?|moon|planets?|stars?|rockets?|mars)\b/i], setup: "How do astronauts throw a party?", punchline: "They planet!", emoji: "🚀" },
  { words: [/\b(fish|ocean|seas?|whales?|sharks?|beach)\b/i], setup: "Why did the fish blush?", punchline: "Because it saw the ocean's bottom!", emoji: "🐟" },
  { words: [/\b(music|songs?|guitars?|pianos?|bands?|drums?)\b/i], setup: "Why did the musician bring a ladder to the gig?", punchline: "To reach the high notes!", emoji: "🎵" },
  { words: [/\b(cheese|cheddar)\b/i], setup: "What do you call cheese that isn't yours?", punchline: "Nacho cheese!", emoji: "🧀" },
  {
    words: [/\b(math|maths|numbers?|equations?|algebra|calculus)\b/i],
    setup: "Why was the equal sign so humble?",
    punchline: "Because it knew it wasn't less than or greater than anyone else!",
    emoji: "➗",
  },
  { words: [/\b(robots?|ai|llms?|models?|machines?)\b/i], setup: "Why did the robot go on vacation?", punchline: "It needed to recharge its batteries!", emoji: "🤖" },
  { words: [/\b(weather|rain|snow|clouds?|storms?)\b/i], setup: "What did one cloud say to the other?", punchline: "Don't rain on my parade — I'm just mist-understood!", emoji: "☁️" },
  { words: [/\b(birds?|penguins?|parrots?|owls?|chickens?)\b/i], setup: "Why did the penguin give a speech?", punchline: "It wanted to break the ice!", emoji: "🐧" },
];

const TEMPLATES: Array<(t: string) => [setup: string, punchline: string, emoji: string]> = [
  (t) => [`Why did ${t} break up with the calendar?`, "Its days were numbered — but it went out on a high note!", "😄"],
  (t) => [`I tried to tell a joke about ${t}.`, "It didn't land, so I'm saving it for a better audience!", "😅"],
  (t) => [`Why don't secrets about ${t} ever last?`, "Because everyone keeps spilling the details!", "🤭"],
  (t) => [`My friend is obsessed with ${t}.`, `I told them to get a hobby. They said, "This is the hobby — and the lifestyle!"`, "😆"],
  (t) => [`What did the teacher say about ${t}?`, "\"Great work — but next time, show your pun-derstanding!\"", "📚"],
  (t) => [`Why did ${t} go to therapy?`, "It had too many layers to unpack!", "🧅"],
];

const FILLER = /\b(the|a|an|and|or|of|with|in|on|about|for|to|my|your)\b/gi;

/**
 * A joke about `topic`: setup, a blank line, punchline, emoji. A topic made only of words a pun knows
 * ("ice cream and cats") gets that pun; a topic with other words too ("the economics of ice cream") gets
 * the pun or a template, by hash, so related topics get different jokes.
 */
export function jokeAbout(rawTopic: string): string {
  const topic = midSentence(rawTopic);
  const pun = PUNS.find((p) => p.words.every((word) => word.test(topic)));
  const candidates = TEMPLATES.map((template) => template(topic));
  if (pun) {
    const rest = pun.words.reduce((text, word) => text.replace(new RegExp(word.source, "gi"), ""), topic).replace(FILLER, "");
    if (rest.trim() === "") return `${pun.setup}\n\n${pun.punchline} ${pun.emoji}`;
    candidates.unshift([pun.setup, pun.punchline, pun.emoji]);
  }
  const [setup, punchline, emoji] = candidates[hashString(topic) % candidates.length];
  return `${setup}\n\n${punchline} ${emoji}`;
}

// A list item such as "The history of ice cream" reads "the history of ice cream" inside a sentence;
// names ("Paris", "NASA") keep their capitals, so only these common openers are lowered.
const OPENERS = /^(The|A|An|Fans|Everyday|Competitions|History|Science|Future|Economics|Life)\b/;

function midSentence(topic: string): string {
  return OPENERS.test(topic) ? topic[0].toLowerCase() + topic.slice(1) : topic;
}
