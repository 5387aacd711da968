"""Understanding a reader's question: what it asks (learned from the question bank), about
which topic and aspect, whether the essay answers it, and how it follows from the conversation.
``decide`` holds the decision; ``classifier`` the learned model; ``matcher`` the fuzzy matching
of topics' names; ``intent`` the wording of yes/no questions; ``order`` the story's order."""
