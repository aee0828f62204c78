namespace Bot.Core.Commands;

/// <summary>
/// The question queue is full (<see cref="QuestionExecutorOptions.MaxQueuedQuestions"/> waiting): the question was not
/// queued. Adapters answer with the polite "busy, try again" text (<c>UiText.Busy</c>) in the question's language.
/// </summary>
public sealed class QuestionsBusyException() : Exception("the question queue is full");
