export { huntCard, noResultsCard, type HuntCardContext } from './hunt-card.ts';
export { clarifyCard, errorCard, helpCard, queryCard, welcomeCard } from './messages.ts';
export { cardToText } from './text.ts';
export { escapeMarkdown, unescapeMarkdown } from './markdown.ts';
export { MAX_CARD_BYTES, type AdaptiveCard } from './elements.ts';
