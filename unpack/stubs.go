package unpack

func openPDF(c *container) error     { return errUnsupported }
func openRTF(c *container) error     { return errUnsupported }
func openOneNote(c *container) error { return errUnsupported }
func openISO(c *container) error     { return errUnsupported }
func openMail(c *container) error    { return errUnsupported }

const oneNoteFileGUID = "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3"
