import { ActivityHandler, ActivityTypes, CardFactory, ConversationState, MemoryStorage, TurnContext, type Storage } from 'botbuilder';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { handleTurn, type ConversationData, type ConversationDeps, type Reply } from '../conversation/conversation.ts';
import { welcomeCard } from '../cards/index.ts';
import type { Config } from '../config.ts';

/** Where conversation state lives: memory by default, Azure Blob Storage with STATE_STORAGE=blob (survives restarts). */
export function createConversationState(config: Pick<Config, 'STATE_STORAGE' | 'STATE_BLOB_CONNECTION_STRING' | 'STATE_BLOB_CONTAINER'>): ConversationState {
  const storage: Storage = config.STATE_STORAGE === 'blob'
    ? new BlobsStorage(config.STATE_BLOB_CONNECTION_STRING!, config.STATE_BLOB_CONTAINER)
    : new MemoryStorage();
  return new ConversationState(storage);
}

/**
 * The Bot Framework side of a turn: strip the bot's @mention, load the conversation's state, hand the
 * message or card action to the framework-free conversation, send its replies and save the state.
 */
export class HuntBot extends ActivityHandler {
  private readonly conversation;

  constructor(private readonly deps: ConversationDeps, private readonly state: ConversationState) {
    super();
    this.conversation = state.createProperty<ConversationData>('hunt');

    this.onMessage(async (context, next) => {
      // In channels and group chats the text starts with "<at>HuntBot</at>": map only what the user asked.
      const text = typeof context.activity.text === 'string' ? TurnContext.removeRecipientMention(context.activity) : undefined;
      const value = isRecord(context.activity.value) ? context.activity.value : undefined;
      await context.sendActivity({ type: ActivityTypes.Typing });
      const before = await this.conversation.get(context, {});
      const outcome = await handleTurn(this.deps, before, { text, value, now: new Date() });
      await this.conversation.set(context, outcome.state);
      for (const reply of outcome.replies) await context.sendActivity(toActivity(reply));
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      // Welcome when the bot itself is added (Teams lists only the bot when a user installs it in a personal chat,
      // and when it is added to a team), not each time a person joins a team the bot is already in.
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient.id);
      if (botAdded) await context.sendActivity(toActivity({ card: welcomeCard(this.deps.skills), text: '' }));
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.state.saveChanges(context, false);
  }
}

function toActivity(reply: Reply) {
  return reply.card ? { attachments: [CardFactory.adaptiveCard(reply.card)] } : { text: reply.text };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
