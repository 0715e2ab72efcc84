Console.WriteLine("QuickStart: to be written with the op set.");
