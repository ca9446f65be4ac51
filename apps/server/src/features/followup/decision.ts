/** What Parley does with the model's analysis: the skip it decides, or none to go on. Pure. */
import {
  intentRank,
  type FollowupAnalysis,
  type FollowupSkipReason,
  type SmartFollowupSettings,
} from '@parley/contract';

export function skipAfterAnalysis(
  settings: Pick<SmartFollowupSettings, 'min_intent_level'>,
  analysis: FollowupAnalysis,
): { reason: FollowupSkipReason; detail: string } | null {
  if (analysis.opt_out_requested)
    return { reason: 'opted_out', detail: 'The customer asked not to be contacted.' };
  if (analysis.outcome === 'converted') return { reason: 'already_converted', detail: analysis.reason };
  if (analysis.outcome === 'support_only') return { reason: 'support_only', detail: analysis.reason };
  if (analysis.sentiment === 'negative') return { reason: 'negative_sentiment', detail: analysis.reason };
  if (intentRank(analysis.intent_level) < intentRank(settings.min_intent_level)) {
    return {
      reason: 'below_min_intent',
      detail: `Intent ${analysis.intent_level} is below min_intent_level ${settings.min_intent_level}. ${analysis.reason}`,
    };
  }
  if (analysis.suggested_message.trim() === '') {
    return { reason: 'model_output_invalid', detail: 'The model found intent but drafted no message.' };
  }
  return null;
}
